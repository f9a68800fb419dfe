import type {JobState, TrialState} from './enums.js';
import type {EnumValue} from './proto-enum.js';

/** How the monitor treats a job state (vertex-nasjobs-api.md §3.1, "Monitor classification"). */
export type JobStateClass = 'active' | 'terminal' | 'unknown';

// PAUSED is quiescent and EXPIRED final; Google's own clients count both as "complete", so polling stops there.
const JOB_STATE_CLASS: Readonly<Record<JobState, JobStateClass>> = {
  JOB_STATE_UNSPECIFIED: 'unknown',
  JOB_STATE_QUEUED: 'active',
  JOB_STATE_PENDING: 'active',
  JOB_STATE_RUNNING: 'active',
  JOB_STATE_SUCCEEDED: 'terminal',
  JOB_STATE_FAILED: 'terminal',
  JOB_STATE_CANCELLING: 'active',
  JOB_STATE_CANCELLED: 'terminal',
  JOB_STATE_PAUSED: 'terminal',
  JOB_STATE_EXPIRED: 'terminal',
  JOB_STATE_UPDATING: 'active',
  JOB_STATE_PARTIALLY_SUCCEEDED: 'terminal',
};

/** Classifies a job state; UNSPECIFIED and values unknown to this client are `unknown` (keep polling them). */
export function classifyJobState(state: EnumValue<JobState>): JobStateClass {
  return typeof state === 'string' ? JOB_STATE_CLASS[state] : 'unknown';
}

/** True for states a job never leaves: SUCCEEDED, FAILED, CANCELLED, PAUSED, EXPIRED, PARTIALLY_SUCCEEDED. */
export function isTerminalJobState(state: EnumValue<JobState>): boolean {
  return classifyJobState(state) === 'terminal';
}

/** QUEUED, PENDING, RUNNING, CANCELLING and UPDATING: the states a team's concurrency limit counts. */
export const ACTIVE_JOB_STATES: readonly JobState[] = (Object.keys(JOB_STATE_CLASS) as JobState[]).filter(state => JOB_STATE_CLASS[state] === 'active');

/** True for QUEUED, PENDING, RUNNING, CANCELLING and UPDATING. */
export function isActiveJobState(state: EnumValue<JobState>): boolean {
  return classifyJobState(state) === 'active';
}

/** Trial states Google's NAS CLI counts as running. */
export const RUNNING_TRIAL_STATES = ['REQUESTED', 'ACTIVE', 'STOPPING'] as const satisfies readonly TrialState[];
/** Trial states with an `endTime`; INFEASIBLE also covers crashed trials. */
export const TERMINAL_TRIAL_STATES = ['SUCCEEDED', 'INFEASIBLE'] as const satisfies readonly TrialState[];

/** True for REQUESTED, ACTIVE and STOPPING trials. */
export function isRunningTrialState(state: EnumValue<TrialState>): boolean {
  return (RUNNING_TRIAL_STATES as readonly unknown[]).includes(state);
}

/** True for SUCCEEDED and INFEASIBLE trials. */
export function isTerminalTrialState(state: EnumValue<TrialState>): boolean {
  return (TERMINAL_TRIAL_STATES as readonly unknown[]).includes(state);
}
