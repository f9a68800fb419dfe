import type {NasJob} from '../vertex/index.js';

// Which state changes are one step of the NAS lifecycle (vertex-nasjobs-api.md §3.1, §8). Anything
// else means polling missed states in between, and the event says so (`skipped: true`) instead of
// inventing them.
const NEXT: Readonly<Record<string, readonly string[]>> = {
  JOB_STATE_QUEUED: ['JOB_STATE_PENDING', 'JOB_STATE_CANCELLING', 'JOB_STATE_FAILED'],
  // PENDING straight to FAILED is real: capacity failures happen before a job ever runs.
  JOB_STATE_PENDING: ['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_FAILED'],
  JOB_STATE_RUNNING: [
    'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING',
    'JOB_STATE_PAUSED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PARTIALLY_SUCCEEDED',
  ],
  JOB_STATE_UPDATING: ['JOB_STATE_RUNNING'],
  // A cancel is best-effort: the job may still end SUCCEEDED or FAILED.
  JOB_STATE_CANCELLING: ['JOB_STATE_CANCELLED', 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED'],
  JOB_STATE_PAUSED: ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING'],
};

const INITIAL_STATES = new Set(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING']);

/**
 * True when going from `previous` (null: first seen) to `state` passed states nobody observed. `job`
 * (the new snapshot) adds what the states alone cannot tell: a job last seen QUEUED or PENDING that
 * now has a `startTime` has run, so RUNNING was missed even where the step itself is allowed
 * (PENDING → FAILED is one step only for a job that never started).
 */
export function isSkippedTransition(previous: string | null, state: string, job?: Pick<NasJob, 'startTime'>): boolean {
  if (previous === null) return !INITIAL_STATES.has(state);
  if (INITIAL_STATES.has(previous) && state !== 'JOB_STATE_RUNNING' && job?.startTime) return true;
  return !(NEXT[previous] ?? []).includes(state);
}

/**
 * When the job entered `state`, as precisely as the snapshot tells: Vertex stamps `startTime` on the
 * first RUNNING, `endTime` on terminal states and `createTime` on creation; other states only have
 * the time nasmon observed them.
 */
export function enteredStateAt(job: NasJob, previous: string | null, state: string, observedTime: string): string {
  const firstRun = previous === null || INITIAL_STATES.has(previous); // not a return from UPDATING or PAUSED
  if (state === 'JOB_STATE_RUNNING' && firstRun && job.startTime) return earliest(job.startTime, observedTime);
  if (job.endTime && ['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(state)) {
    return earliest(job.endTime, observedTime);
  }
  if (previous === null && INITIAL_STATES.has(state) && job.createTime) return earliest(job.createTime, observedTime);
  return observedTime;
}

// A clock skew between Vertex and nasmon must never put an entry time after the observation.
function earliest(a: string, b: string): string {
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

/** Whole seconds from `since` to `until`, never negative. */
export function secondsBetween(since: string, until: string): number {
  return Math.max(0, Math.round((Date.parse(until) - Date.parse(since)) / 1000));
}
