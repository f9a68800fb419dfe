// Outside interventions on a job: a client's cancel, and the admin's forced state. Both first bring
// the job up to `now` (the caller does), then replace whatever the job had queued.
import {isTerminalState, type JobState} from '../proto/enums.js';
import type {SimTime} from '../proto/time-format.js';
import type {JobRecord, RpcStatus} from './job-record.js';
import {setJobState, stopRunningTrials} from './job-transitions.js';
import {CANCELLED_STATUS, endAllRunning, startRunning} from './lifecycle.js';

/**
 * Starts a best-effort cancel. Returns false when the job is already terminal (nothing to cancel).
 * Every accepted request is recorded, a repeat too: Vertex does not mind one, but a client that sends
 * it has cancelled twice, and the true history lets a test see that.
 */
export function requestCancel(job: JobRecord, now: SimTime): boolean {
  if (isTerminalState(job.state)) return false;
  const repeated = job.state === 'JOB_STATE_CANCELLING'; // repeating a cancel is harmless
  job.cancelRequests.push({time: now, effect: repeated ? 'repeated' : 'started'});
  if (!repeated) beginCancelling(job, now);
  return true;
}

function beginCancelling(job: JobRecord, now: SimTime): void {
  job.events.clear();
  setJobState(job, 'JOB_STATE_CANCELLING', now);
  stopRunningTrials(job, now);
  job.events.push(now + job.plan.cancelMicros, {kind: 'cancel-resolve'});
}

export interface ForcedError {
  code?: number;
  message?: string;
}

/**
 * Puts a job into `state` at `now`. Terminal states end running trials; RUNNING (re)starts trial
 * scheduling; CANCELLING behaves like a cancel; other states hold until forced again or cancelled.
 */
export function forceJobState(job: JobRecord, now: SimTime, state: JobState, forced: ForcedError): void {
  if (state === 'JOB_STATE_CANCELLING') return beginCancelling(job, now);
  const error = errorFor(state, forced);
  if (state === 'JOB_STATE_RUNNING' && job.state === 'JOB_STATE_RUNNING') return setJobState(job, state, now, error);
  job.events.clear();
  endAllRunning(job, now, state === 'JOB_STATE_SUCCEEDED');
  setJobState(job, state, now, error);
  if (state === 'JOB_STATE_RUNNING') startRunning(job, now);
}

function errorFor(state: JobState, forced: ForcedError): RpcStatus | undefined {
  if (state === 'JOB_STATE_CANCELLED') {
    return {code: forced.code ?? CANCELLED_STATUS.code, message: forced.message ?? CANCELLED_STATUS.message};
  }
  if (state === 'JOB_STATE_FAILED') {
    return {code: forced.code ?? 13, message: forced.message ?? 'The job failed (state forced by the simulator).'};
  }
  if (forced.code !== undefined || forced.message !== undefined) return {code: forced.code ?? 2, message: forced.message ?? ''};
  return undefined;
}
