// Which true state each recorded transition stands for. nasmon may miss states (polling is not
// continuous) but must never invent or reorder them, so its history has to be a subsequence of the
// true timeline. Matching each recorded state to the earliest possible true one is enough to decide
// that, and leaves the most room for the entries after it.
import type {TimelineEntry} from './true-timeline.js';

/** Per recorded state, the index of the true entry it stands for, or undefined when none can. */
export function alignToTimeline(recorded: readonly string[], timeline: readonly TimelineEntry[]): Array<number | undefined> {
  let next = 0;
  return recorded.map(state => {
    for (let i = next; i < timeline.length; i++) {
      if (timeline[i]!.state !== state) continue;
      next = i + 1;
      return i;
    }
    return undefined;
  });
}
