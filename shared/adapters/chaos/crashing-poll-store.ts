// poll.afterCommit around the poll store: the transaction that wrote new events to the outbox has
// committed, and the process dies before anything is published. The next cycle (after the dead
// session's lease expires) must publish them from the outbox, once, under the same ce-id.
import type {PollStore} from '../../ports/poll-store.js';
import type {CrashSwitch} from './crash-switch.js';

/** `store` with the poll.afterCommit crash point after each commit that wrote outbox batches. */
export function withPollStoreCrashPoints(store: PollStore, crash: CrashSwitch): PollStore {
  if (!crash.armed('poll.afterCommit')) return store;
  return {
    ...store,
    async recordObservations(target, holder, observations, observedTime) {
      const batches = await store.recordObservations(target, holder, observations, observedTime);
      // A commit without events leaves nothing to lose: dying there proves nothing.
      if (batches.length > 0) crash.reach('poll.afterCommit', {batches: batches.map(batch => batch.id)});
      return batches;
    },
  };
}
