import {NasmonError} from '../../errors.js';
import type {PollStore} from '../../ports/poll-store.js';

// The Firestore client retries an unreachable backend for about 45 s per call and a transaction for
// minutes, so one outage would hold a poll session (and its function instance) far beyond its
// period. Each store call gets a deadline instead: the cycle fails, is logged, and the next cycle
// tries again. A call abandoned this way may still complete later; that is safe, because every
// record is a transaction checked against the stored job and the lease, and events wait in the
// outbox until a cycle publishes them.

/** A store call that did not settle within its deadline. */
export class StoreDeadlineError extends NasmonError {
  override readonly name = 'StoreDeadlineError';

  constructor(readonly method: string, readonly deadlineMs: number) {
    super('upstream-unavailable', `deadline: store.${method} did not settle within ${deadlineMs} ms`);
  }
}

/** The store with every call failing with StoreDeadlineError after `deadlineMs` if not settled by then. */
export function boundedStore(store: PollStore, deadlineMs: number): PollStore {
  const bounded: Record<string, unknown> = {};
  for (const [method, call] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    bounded[method] = (...args: unknown[]) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoreDeadlineError(method, deadlineMs)), deadlineMs);
      call.apply(store, args).then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }
  return bounded as unknown as PollStore;
}
