import {decodeWholeJob, PayloadInvalidError, withoutSource, type NasJob, type NasJobHead} from '../../core/vertex/index.js';
import type {RecordedJob} from '../../ports/poll-store.js';
import {differsFromDigest} from './plan-reads.js';

/** A listed job whose head was fine but whose whole resource is not. */
export interface GarbageJob {
  readonly name: string;
  readonly error: PayloadInvalidError;
}

export interface DecodedListing {
  /** Heads to plan the cycle's gets with: every listed job but the garbage and the deferred. */
  readonly listed: readonly NasJobHead[];
  /** Whole jobs that differ from the digest: recorded this cycle even when no `get` follows. */
  readonly changed: readonly NasJob[];
  readonly garbage: readonly GarbageJob[];
  /** First sightings over the cycle's cap, left for the next cycles (they stay new until recorded). */
  readonly deferredNew: number;
}

/**
 * The jobs a listing is compared with, by name: the digest's, and on a sweep also the finished jobs
 * the digest has dropped, as the mirror recorded them. A sweep lists every finished job again;
 * without those, each would count as new and be recorded again (a read in a transaction per job,
 * for nothing).
 */
export type KnownJobs = ReadonlyMap<string, RecordedJob>;

/**
 * The keep-source rule for a listing: a head keeps its JSON when the job changed since the digest,
 * and, for jobs the digest has never seen, only up to `maxNewJobs` of them. The cap bounds what a
 * first cycle over thousands of jobs holds and writes at once; the rest are seen by later cycles.
 */
export function changedHeadsKeeper(known: KnownJobs, maxNewJobs: number): (head: NasJobHead) => boolean {
  const keptNew = new Set<string>();
  return head => {
    const entry = known.get(head.name);
    if (!differsFromDigest(entry, head)) return false;
    if (entry || keptNew.has(head.name)) return true;
    if (keptNew.size >= maxNewJobs) return false;
    keptNew.add(head.name);
    return true;
  };
}

/** Decodes the whole jobs of the heads that changed; a garbage job is set aside, not recorded. */
export function decodeListed(heads: readonly NasJobHead[], known: KnownJobs): DecodedListing {
  const listed: NasJobHead[] = [];
  const changed: NasJob[] = [];
  const garbage: GarbageJob[] = [];
  let deferredNew = 0;
  for (const head of heads) {
    if (!differsFromDigest(known.get(head.name), head)) {
      listed.push(head);
    } else if (!head.source) {
      deferredNew++;
    } else {
      try {
        changed.push(decodeWholeJob(head));
        listed.push(withoutSource(head));
      } catch (error) {
        if (!(error instanceof PayloadInvalidError)) throw error;
        garbage.push({name: head.name, error});
      }
    }
  }
  return {listed, changed, garbage, deferredNew};
}
