// GET /simulator/history: the true timeline of every job (deleted ones too) in simulated time,
// independent of what any client happened to observe, with the cancel requests each job was served
// and the simulated instant the history was taken at (a state's last entry lasts until then).
import type {JobRecord, StateEntry, TrialRecord} from '../model/job-record.js';
import {advanceJob} from '../model/lifecycle.js';
import {formatTimestamp} from '../proto/time-format.js';
import type {SimState} from '../sim-state.js';

/** Brings every live job up to now, then renders the history; `name` narrows it to one job. */
export function renderHistory(sim: SimState, name?: string): {now: string; jobs: unknown[]} {
  const now = sim.clock.now();
  const jobs = sim.store.history.filter(job => name === undefined || job.name === name);
  for (const job of jobs) if (!job.deleted) advanceJob(job, now);
  return {now: formatTimestamp(now), jobs: jobs.map(renderJobHistory)};
}

function renderJobHistory(job: JobRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: job.name,
    displayName: job.displayName,
    deleted: job.deleted,
    scenario: job.plan.scenario,
    states: renderStates(job.states),
    trials: [...job.search, ...job.train].map(renderTrialHistory),
    cancelRequests: job.cancelRequests.map(request => ({time: formatTimestamp(request.time), effect: request.effect})),
  };
  if (job.deleteTime !== undefined) out.deleteTime = formatTimestamp(job.deleteTime);
  return out;
}

function renderTrialHistory(trial: TrialRecord): Record<string, unknown> {
  return {stage: trial.stage, id: trial.id, states: renderStates(trial.states)};
}

function renderStates(states: readonly StateEntry[]): {state: string; time: string}[] {
  return states.map(entry => ({state: entry.state, time: formatTimestamp(entry.time)}));
}
