import type {Firestore, WriteBatch} from '@google-cloud/firestore';

/** Adds one caller's writes to a batch; `writes` says how many it adds. */
export interface GroupedWrite {
  readonly writes: number;
  readonly apply: (batch: WriteBatch) => void;
}

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** Commits running at once; default 4. */
  readonly maxInFlight?: number;
  /** How long a deferred write may wait for a commit to ride along with; default 1 s. */
  readonly deferMs?: number;
}

/** Sends writes through shared commits: called directly for writes a caller waits on, `deferred` for cleanup. */
export interface GroupCommit {
  (write: GroupedWrite): Promise<void>;
  /**
   * A write nobody waits on (the deletion of published outbox records): it starts no commit of its
   * own but joins the next one, or goes out after `deferMs` if none comes.
   */
  deferred(write: GroupedWrite): Promise<void>;
}

/** Firestore's limit of writes per batch. */
const MAX_BATCH_WRITES = 500;

/**
 * Group commit: a write starts a commit at once while fewer than `maxInFlight` are running (no timer,
 * no added latency); writes that arrive while that many are running wait and go out together in the
 * next one, so under load many callers share a round trip. Each caller's promise settles when its own
 * writes are committed. If a shared commit fails, its writes are retried one caller at a time, so one
 * bad write fails only its own caller.
 *
 * Deferred writes exist because a commit's fixed cost dominates small ones (bench:api: the Firestore
 * emulator spends more on the commit than on its writes): an outbox deletion riding along with the
 * next audit entry costs the emulator a fraction of a commit of its own.
 */
export function createGroupCommit(firestore: Firestore, options: GroupCommitOptions = {}): GroupCommit {
  const {maxInFlight = 4, deferMs = 1000} = options;
  const queue: Array<GroupedWrite & {resolve: () => void; reject: (error: unknown) => void}> = [];
  let inFlight = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const commit = async (group: readonly GroupedWrite[]) => {
    const batch = firestore.batch();
    for (const item of group) item.apply(batch);
    await batch.commit();
  };

  const next = async () => {
    inFlight++;
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) {
      let writes = 0;
      const over = queue.findIndex(item => (writes += item.writes) > MAX_BATCH_WRITES);
      const group = queue.splice(0, over === -1 ? queue.length : Math.max(1, over));
      try {
        await commit(group);
        for (const item of group) item.resolve();
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else for (const item of group) await commit([item]).then(item.resolve, item.reject);
      }
    }
    inFlight--;
  };

  const enqueue = (write: GroupedWrite) => new Promise<void>((resolve, reject) => queue.push({...write, resolve, reject}));

  const commitSoon = ((write: GroupedWrite) => {
    const done = enqueue(write);
    if (inFlight < maxInFlight) void next();
    return done;
  }) as GroupCommit;
  commitSoon.deferred = write => {
    const done = enqueue(write);
    // A running commit picks the write up when it loops; otherwise the timer sends it. Not unref'd:
    // a process that exits first leaves the records to the poller, which publishes them again.
    if (inFlight === 0 && !timer) timer = setTimeout(() => void next(), deferMs);
    return done;
  };
  return commitSoon;
}
