// A job's lifecycle as a discrete-event simulation evaluated lazily: events wait in the job's queue
// and are applied, in time order, only when someone looks at the job at or after their time. The
// history therefore carries the exact simulated time of each change, whenever it was observed.
import type {SimTime} from '../proto/time-format.js';
import {drawMicros} from './job-plan.js';
import type {JobEvent, JobRecord, RpcStatus, TrialRecord} from './job-record.js';
import {setJobState, setTrialState} from './job-transitions.js';
import {finishTrial, fillSearchSlots, maybeStartTrainTrials} from './trials.js';

export const CANCELLED_STATUS: RpcStatus = {code: 1, message: 'CANCELED'};

/** Queues the first transitions of a freshly created job, according to its scenario. */
export function scheduleLifecycle(job: JobRecord): void {
  const {plan} = job;
  let pendingFrom = job.createTime;
  if (job.state === 'JOB_STATE_QUEUED') {
    pendingFrom += plan.queuedMicros;
    job.events.push(pendingFrom, {kind: 'job-state', state: 'JOB_STATE_PENDING'});
  }
  if (plan.scenario === 'stuck-pending') return;
  if (plan.scenario === 'fail-capacity') {
    const error = {code: 8, message: `Resources are insufficient in region: ${job.location}`};
    job.events.push(pendingFrom + plan.capacityFailMicros, {kind: 'job-state', state: 'JOB_STATE_FAILED', error});
    return;
  }
  job.events.push(pendingFrom + plan.pendingMicros, {kind: 'start'});
}

/** Applies every queued event due at or before `now`. Cheap when nothing is due. */
export function advanceJob(job: JobRecord, now: SimTime): void {
  while (job.events.peekTime() <= now) {
    const next = job.events.pop();
    if (next) applyEvent(job, next.event, next.time);
  }
}

function applyEvent(job: JobRecord, event: JobEvent, t: SimTime): void {
  switch (event.kind) {
    case 'job-state':
      return setJobState(job, event.state, t, event.error);
    case 'start':
      return startRunning(job, t);
    case 'trial-state':
      if (job.running.has(event.trial)) setTrialState(job, event.trial, event.state, t);
      return;
    case 'trial-end':
      return onTrialEnd(job, event.trial, t);
    case 'cancel-resolve':
      return resolveCancel(job, t);
    case 'finish-empty':
      return setJobState(job, 'JOB_STATE_SUCCEEDED', t);
  }
}

/** Enters RUNNING and starts the first wave of trials (or, with no trial budget, a fixed-length run). */
export function startRunning(job: JobRecord, t: SimTime): void {
  if (job.state !== 'JOB_STATE_RUNNING') setJobState(job, 'JOB_STATE_RUNNING', t);
  if (job.budget.maxTrials === 0) {
    job.events.push(t + drawMicros(job.rng, job.plan.trialRun), {kind: 'finish-empty'});
    return;
  }
  fillSearchSlots(job, t);
  finishIfDone(job, t);
}

function onTrialEnd(job: JobRecord, trial: TrialRecord, t: SimTime): void {
  if (!job.running.has(trial)) return;
  finishTrial(job, trial, t, !trial.plannedInfeasible);
  if (trial.stage === 'search') {
    if (job.failedSearch > job.budget.maxFailed) return failForTrials(job, t);
    maybeStartTrainTrials(job, t);
    fillSearchSlots(job, t);
  }
  finishIfDone(job, t);
}

function finishIfDone(job: JobRecord, t: SimTime): void {
  const searchDone = job.search.length >= job.budget.maxTrials && job.finishedSearch === job.search.length;
  if (searchDone && job.running.size === 0) setJobState(job, 'JOB_STATE_SUCCEEDED', t);
}

function failForTrials(job: JobRecord, t: SimTime): void {
  endAllRunning(job, t, false);
  const message = `${job.failedSearch} search trials failed, more than maxFailedTrialCount (${job.budget.maxFailed}) allows.`;
  setJobState(job, 'JOB_STATE_FAILED', t, {code: 9, message});
}

/** Ends every running trial; with `keepActive`, trials that got to run finish with a measurement. */
export function endAllRunning(job: JobRecord, t: SimTime, keepActive: boolean): void {
  for (const trial of [...job.running]) finishTrial(job, trial, t, keepActive);
}

function resolveCancel(job: JobRecord, t: SimTime): void {
  // A job that never ran cannot have raced to success; it is simply cancelled.
  const outcome = job.plan.cancelOutcome === 'race-succeeded' && job.startTime === undefined ? 'cancelled' : job.plan.cancelOutcome;
  endAllRunning(job, t, outcome === 'race-succeeded');
  if (outcome === 'race-succeeded') return setJobState(job, 'JOB_STATE_SUCCEEDED', t);
  if (outcome === 'race-failed') {
    return setJobState(job, 'JOB_STATE_FAILED', t, {code: 13, message: 'Internal error occurred while stopping the job.'});
  }
  setJobState(job, 'JOB_STATE_CANCELLED', t, CANCELLED_STATUS);
}
