// The job table's reads. Re-reading the newest N job documents on every refresh of every open page
// would cost N reads per 5 s per viewer (about 8.6 million a day for one tab left open on 500 jobs),
// so an instance keeps the window it read and, between full reads, asks only for documents whose
// `updatedAt` (the poller's server timestamp) is at or after the previous query's read time: a
// quiet refresh is one query that returns nothing. Concurrent viewers share one read in flight.
import {Timestamp, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import type {DashboardJob} from '../../core/dashboard/index.js';
import type {Logger} from '../../log.js';
import type {RecentJobs} from '../../use-cases/dashboard/dashboard-deps.js';
import {COLLECTIONS} from './collections.js';
import {createMsOf, readDashboardJob} from './dashboard-docs.js';

/** Options of {@link createJobFeed}. */
export interface JobFeedOptions {
  readonly firestore: Firestore;
  readonly limit: number;
  readonly log: Logger;
  /** How often the whole window is read again (catches what the increments cannot: jobs leaving it). */
  readonly fullEveryMs?: number;
  /** Reads closer together than this serve the last answer (many viewers, one instance). */
  readonly minIntervalMs?: number;
  readonly clock?: () => number;
}

interface Entry {
  readonly createMs: number;
  readonly job?: DashboardJob;
}

/** A reader of the newest `limit` jobs that re-reads only what changed. */
export function createJobFeed(options: JobFeedOptions): {read(): Promise<RecentJobs>} {
  const {firestore, limit, log, fullEveryMs = 5 * 60_000, minIntervalMs = 1000, clock = Date.now} = options;
  const jobs = firestore.collection(COLLECTIONS.jobs);
  let window = new Map<string, Entry>();
  let readTime: Timestamp | undefined;
  let [lastFullMs, lastReadMs, truncated] = [-Infinity, -Infinity, false];
  let inFlight: Promise<RecentJobs> | undefined;

  const entryOf = (doc: DocumentSnapshot): Entry => {
    try {
      const job = readDashboardJob(doc);
      return job ? {createMs: createMsOf(doc), job} : {createMs: createMsOf(doc)};
    } catch (error) {
      log.warn('a job document cannot be shown on the dashboard', {doc: doc.ref.path, error: error as Error});
      return {createMs: createMsOf(doc)};
    }
  };

  async function refresh(): Promise<void> {
    const now = clock();
    if (readTime && now - lastFullMs < fullEveryMs) {
      const changed = await jobs.where('updatedAt', '>=', readTime).orderBy('updatedAt').limit(limit).get();
      // A burst larger than the window is cheaper to replace than to merge.
      if (changed.size < limit) {
        for (const doc of changed.docs) window.set(doc.id, entryOf(doc));
        readTime = changed.readTime;
        trim();
        return;
      }
    }
    const snapshot = await jobs.orderBy('createTime', 'desc').limit(limit + 1).get();
    window = new Map(snapshot.docs.slice(0, limit).map(doc => [doc.id, entryOf(doc)]));
    [readTime, lastFullMs, truncated] = [snapshot.readTime, now, snapshot.size > limit];
  }

  // Newest first, as the full query orders them; ties broken by document id, also as Firestore does.
  function ordered(): Array<[string, Entry]> {
    return [...window].sort(([idA, a], [idB, b]) => b.createMs - a.createMs || (idA < idB ? 1 : idA > idB ? -1 : 0));
  }

  function trim(): void {
    if (window.size <= limit) return;
    window = new Map(ordered().slice(0, limit));
    truncated = true;
  }

  function answer(): RecentJobs {
    const entries = ordered().map(([, entry]) => entry);
    return {
      jobs: entries.flatMap(entry => (entry.job ? [entry.job] : [])),
      truncated, unreadable: entries.filter(entry => !entry.job).length,
    };
  }

  return {
    read() {
      if (inFlight) return inFlight;
      if (readTime && clock() - lastReadMs < minIntervalMs) return Promise.resolve(answer());
      inFlight = refresh().then(() => {
        lastReadMs = clock();
        return answer();
      }).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
