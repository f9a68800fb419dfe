// Folds the second layer of digest shards into `packed` (digest-doc.ts explains the layers). The
// poll store counts, per shard, the second-layer keys it last read plus the ones it has written
// since, and compacts a shard once that count reaches COMPACT_AT. The count is an upper bound
// (a key written twice counts twice), so compaction may come early, never late.
//
// Compaction runs only after a write, never after a read, so a quiet cycle still writes nothing.
import type {Firestore} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import type {Logger} from '../../log.js';
import {DIGEST_SHARDS, digestShardOf, jobIdOf, targetKeyOf, type StoreRefs} from './collections.js';
import {COMPACT_AT, compactedShard, readShard} from './digest-doc.js';

export interface DigestCompactor {
  /** What a digest read found: second-layer keys per shard. */
  noteRead(target: Target, layered: readonly number[]): void;
  /** After a write of these jobs' entries or read times: compacts the shards that are due. */
  afterWrite(target: Target, names: readonly string[]): Promise<void>;
}

export function createDigestCompactor(firestore: Firestore, refs: StoreRefs, log: Logger): DigestCompactor {
  const layered = new Map<string, number[]>();
  const countsOf = (target: Target) => {
    const key = targetKeyOf(target);
    let counts = layered.get(key);
    if (!counts) layered.set(key, (counts = new Array<number>(DIGEST_SHARDS).fill(0)));
    return counts;
  };
  return {
    noteRead(target, read) {
      layered.set(targetKeyOf(target), [...read]);
    },
    async afterWrite(target, names) {
      const counts = countsOf(target);
      for (const name of names) counts[digestShardOf(jobIdOf(name))]! += 1;
      const due = counts.flatMap((count, shard) => (count >= COMPACT_AT ? [shard] : []));
      if (due.length === 0) return;
      try {
        await compactShards(firestore, refs, target, due, log);
        for (const shard of due) counts[shard] = 0;
      } catch (error) {
        // The write it follows has committed; a shard left uncompacted only reads a little slower.
        log.warn('could not compact digest shards; trying again after the next write', {target: targetKeyOf(target), shards: due, error: error as Error});
      }
    },
  };
}

/**
 * Rewrites each shard as its two layers folded together. A transaction: a write to the shard
 * between its read and the rewrite makes the rewrite retry instead of dropping that write.
 */
export async function compactShards(firestore: Firestore, refs: StoreRefs, target: Target, shards: readonly number[], log: Logger): Promise<void> {
  await firestore.runTransaction(async tx => {
    const snapshots = await tx.getAll(...shards.map(shard => refs.digestShard(target, shard)));
    for (const snapshot of snapshots) {
      if (snapshot.exists) tx.set(snapshot.ref, compactedShard(readShard(snapshot, log).entries));
    }
  });
}
