import type {Firestore, WriteBatch} from '@google-cloud/firestore';

/** Adds one caller's writes to a batch; `writes` says how many it adds. */
export interface GroupedWrite {
  readonly writes: number;
  readonly apply: (batch: WriteBatch) => void;
}

/** Firestore's limit of writes per batch. */
const MAX_BATCH_WRITES = 500;

/**
 * Group commit: a write starts a commit at once while fewer than `maxInFlight` are running (no timer,
 * no added latency); writes that arrive while that many are running wait and go out together in the
 * next one, so under load many callers share a round trip. Each caller's promise settles when its own
 * writes are committed. If a shared commit fails, its writes are retried one caller at a time, so one
 * bad write fails only its own caller.
 */
export function createGroupCommit(firestore: Firestore, maxInFlight = 4) {
  const queue: Array<GroupedWrite & {resolve: () => void; reject: (error: unknown) => void}> = [];
  let inFlight = 0;

  const commit = async (group: readonly GroupedWrite[]) => {
    const batch = firestore.batch();
    for (const item of group) item.apply(batch);
    await batch.commit();
  };

  const next = async () => {
    inFlight++;
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

  return (write: GroupedWrite): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({...write, resolve, reject});
      if (inFlight < maxInFlight) void next();
    });
}
