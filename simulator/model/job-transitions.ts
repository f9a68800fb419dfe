// The only functions that change a job's or a trial's state. Each records the change in the job's
// true history and bumps updateTime, which is how Vertex lets pollers detect change.
import {isTerminalState, type JobState, type TrialState} from '../proto/enums.js';
import type {SimTime} from '../proto/time-format.js';
import type {JobRecord, Measurement, RpcStatus, TrialRecord} from './job-record.js';

const ENDS_JOB: ReadonlySet<JobState> = new Set<JobState>([
  'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

export function touch(job: JobRecord, t: SimTime): void {
  if (t > job.updateTime) job.updateTime = t;
}

export function setJobState(job: JobRecord, state: JobState, t: SimTime, error?: RpcStatus): void {
  job.state = state;
  job.states.push({state, time: t});
  if (state === 'JOB_STATE_RUNNING' && job.startTime === undefined) job.startTime = t;
  if (ENDS_JOB.has(state)) job.endTime = t;
  else if (!isTerminalState(state)) delete job.endTime;
  if (error) job.error = error;
  else if (!isTerminalState(state)) delete job.error;
  if (isTerminalState(state)) job.events.clear();
  touch(job, t);
}

export function setTrialState(job: JobRecord, trial: TrialRecord, state: TrialState, t: SimTime): void {
  trial.state = state;
  trial.states.push({state, time: t});
  if (state === 'ACTIVE' && trial.activeTime === undefined) trial.activeTime = t;
  touch(job, t);
}

/** Ends a trial: SUCCEEDED with its measurement, or INFEASIBLE without one. */
export function endTrial(job: JobRecord, trial: TrialRecord, t: SimTime, measurement: Measurement | undefined): void {
  trial.endTime = t;
  if (measurement) trial.measurement = measurement;
  job.running.delete(trial);
  setTrialState(job, trial, measurement ? 'SUCCEEDED' : 'INFEASIBLE', t);
  if (trial.stage === 'search') {
    job.finishedSearch++;
    if (!measurement) job.failedSearch++;
  }
}

/** Moves every running trial to STOPPING, as when the service starts tearing a job down. */
export function stopRunningTrials(job: JobRecord, t: SimTime): void {
  for (const trial of job.running) if (trial.state !== 'STOPPING') setTrialState(job, trial, 'STOPPING', t);
}
