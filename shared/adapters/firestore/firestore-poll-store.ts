// PollStore on Firestore. The collections and their fields are described in collections.ts.
import type {Firestore} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import {createLogger, type Logger} from '../../log.js';
import type {OutboxBatch, PollStore} from '../../ports/poll-store.js';
import {COLLECTIONS, DIGEST_SHARDS, docIdOf, refsOf, targetKeyOf} from './collections.js';
import {createDigestCompactor} from './digest-compaction.js';
import {readDigestDoc, readShard, readTimeWrite, removalWrite, type ShardWrites} from './digest-doc.js';
import {acquireLease, leaseExpiry, releaseLease} from './lease.js';
import {claimedByWriter, deleteOutboxDocs, readOutboxBatch} from './outbox-doc.js';
import {recordObservations} from './record-observations.js';
import {StoredDataError} from './stored-data.js';

/** Firestore's cap on the writes of one batch. */
const MAX_BATCH_WRITES = 500;

/** Options of {@link createFirestorePollStore}. */
export interface FirestorePollStoreOptions {
  readonly firestore: Firestore;
  /** Lease expiry is judged by this clock; default the system clock. */
  readonly clock?: () => Date;
  /** Upper bound on the writes of one recordObservations transaction; default 400 (Firestore allows 500). */
  readonly maxWritesPerTransaction?: number;
  /** Where malformed stored data is reported; default JSON lines on stdout. */
  readonly log?: Logger;
}

/** Creates the Firestore-backed PollStore. */
export function createFirestorePollStore(options: FirestorePollStoreOptions): PollStore {
  const {firestore, clock = () => new Date(), maxWritesPerTransaction = 400} = options;
  if (!Number.isInteger(maxWritesPerTransaction) || maxWritesPerTransaction < 4 || maxWritesPerTransaction > MAX_BATCH_WRITES) {
    throw new RangeError(`maxWritesPerTransaction must be an integer from 4 to ${MAX_BATCH_WRITES}`);
  }
  const log = options.log ?? createLogger({component: 'firestore-poll-store'});
  const refs = refsOf(firestore);
  const shardRefs = (target: Target) => Array.from({length: DIGEST_SHARDS}, (_, shard) => refs.digestShard(target, shard));
  const compactor = createDigestCompactor(firestore, refs, log);
  const writeDigest = async (target: Target, names: readonly string[], writes: ShardWrites) => {
    const batch = firestore.batch();
    for (const [shard, write] of writes) batch.set(refs.digestShard(target, shard), write.data, {mergeFields: write.mergeFields});
    if (writes.size === 0) return;
    await batch.commit();
    await compactor.afterWrite(target, names);
  };

  return {
    acquireLease: (target, holder, ttlMs, delivery) => acquireLease(firestore, refs.lease(target), target, {holder, ttlMs, delivery}, clock),
    releaseLease: (target, holder) => releaseLease(firestore, refs.lease(target), holder),
    leaseExpiry: target => leaseExpiry(refs.lease(target)),

    async readDigest(target) {
      const [root, ...shards] = await firestore.getAll(refs.digest(target), ...shardRefs(target));
      const read = shards.map(shard => readShard(shard!, log));
      compactor.noteRead(target, read.map(shard => shard.layered));
      return readDigestDoc(root!, read, log);
    },

    async recordObservations(target, holder, observations, observedTime) {
      const context = {firestore, refs, target, holder, observedTime, now: clock, maxWrites: maxWritesPerTransaction, log};
      const batches = await recordObservations(context, observations);
      await compactor.afterWrite(target, observations.map(observation => observation.name));
      return batches;
    },

    // A blind write: the read time sits apart from the entry (digest-doc.ts), so one written for a
    // job the digest does not track is ignored by readers and costs no read here.
    markTrialsRead: (target, names, readAt) => writeDigest(target, names, readTimeWrite(names, readAt)),

    async saveScanTimes(target, times) {
      const defined = Object.entries(times).filter(([, value]) => value !== undefined); // Firestore rejects undefined
      if (defined.length === 0) return;
      await refs.digest(target).set({project: target.project, location: target.location, ...Object.fromEntries(defined)}, {merge: true});
    },

    async pruneDigest(target, names) {
      if (names.length > 0) await writeDigest(target, names, removalWrite(names));
    },

    async pendingOutbox(target, limit) {
      if (limit < 1) return [];
      const snapshot = await firestore.collection(COLLECTIONS.outbox)
        .where('targetKey', '==', targetKeyOf(target))
        .orderBy('createdAt')
        .orderBy('seq')
        .limit(limit)
        .get();
      const batches: OutboxBatch[] = [];
      const now = clock();
      for (const doc of snapshot.docs) {
        if (claimedByWriter(doc, now)) continue; // its writer is publishing it right now
        try {
          batches.push(readOutboxBatch(doc));
        } catch (error) {
          // Left in place and reported every cycle: it cannot be published, and deleting it would hide it.
          if (!(error instanceof StoredDataError)) throw error;
          log.error('skipping a malformed outbox document', {doc: doc.ref.path, error});
        }
      }
      return batches;
    },

    completeOutbox: ids => deleteOutboxDocs(firestore, ids),

    async recordedJobs(target) {
      const snapshot = await firestore.collection(COLLECTIONS.jobs)
        .where('targetKey', '==', targetKeyOf(target))
        .where('deleted', '==', false)
        .select('name', 'state', 'updateTime')
        .get();
      return snapshot.docs.map(doc => {
        let name: unknown = doc.get('name');
        if (typeof name !== 'string' || docIdOf(name) !== doc.id) {
          // The document id encodes the name, so a damaged field does not hide the job from sweeps.
          log.warn('job document has a malformed name; using its id', {doc: doc.ref.path});
          name = doc.id.replaceAll('~', '/');
        }
        // A damaged state or updateTime only makes the sweep record the listed job again.
        const state: unknown = doc.get('state');
        const updateTime: unknown = doc.get('updateTime');
        return {name: name as string, state: typeof state === 'string' ? state : '', ...(typeof updateTime === 'string' ? {updateTime} : {})};
      });
    },
  };
}
