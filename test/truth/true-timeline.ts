// A job's true timeline as the checker needs it: one entry per state the job held, repeats merged
// (a state forced again is no change anyone could see), deletion as a last `DELETED` state, and how
// long each state lasted: until the next one, or until the moment the history was taken.
import type {TrueJob} from './truth-records.js';

/** States after which a job never changes again by itself. */
const TERMINAL = new Set([
  'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PARTIALLY_SUCCEEDED', 'DELETED',
]);

/** One state of the timeline and the span it lasted, in ms. */
export interface TimelineEntry {
  readonly state: string;
  /** As the simulator wrote it, for messages (microseconds included). */
  readonly time: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** The job's timeline up to `nowMs` (the simulator's clock when the history was taken). */
export function trueTimeline(job: TrueJob, nowMs: number): TimelineEntry[] {
  const states = [...job.states, ...(job.deleteTime === undefined ? [] : [{state: 'DELETED', time: job.deleteTime}])];
  const merged = states.filter((entry, i) => entry.state !== states[i - 1]?.state);
  return merged.map((entry, i) => {
    const next = merged[i + 1];
    const startMs = Date.parse(entry.time);
    return {state: entry.state, time: entry.time, startMs, endMs: next ? Date.parse(next.time) : Math.max(startMs, nowMs)};
  });
}

/** True when the job's last state is final: it ended, or it is gone. */
export function isSettled(timeline: readonly TimelineEntry[]): boolean {
  return TERMINAL.has(timeline.at(-1)?.state ?? '');
}

/** `1m05s`, `2h03m`: durations in messages. */
export function formatMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
