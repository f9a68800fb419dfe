// Search and train trials: when they start, how long each phase lasts, and what they measure.
// Metric values follow the job's curve (better with each trial, plus noise) in the goal's direction.
import type {SimTime} from '../proto/time-format.js';
import {drawMicros} from './job-plan.js';
import type {JobRecord, Measurement, TrialRecord} from './job-record.js';
import {endTrial, touch} from './job-transitions.js';
import type {Rng} from './prng.js';

/** Starts search trials until the parallel limit or the trial budget is reached. */
export function fillSearchSlots(job: JobRecord, t: SimTime): void {
  let runningSearch = 0;
  for (const trial of job.running) if (trial.stage === 'search') runningSearch++;
  while (runningSearch < job.budget.maxParallel && job.search.length < job.budget.maxTrials) {
    startSearchTrial(job, t);
    runningSearch++;
  }
}

function startSearchTrial(job: JobRecord, t: SimTime): void {
  const trial = newTrial(job, 'search', String(job.search.length + 1), t, drawParameters(job.rng));
  trial.plannedInfeasible = job.rng.chance(job.plan.infeasibleProbability) && !wouldFailSucceedingJob(job);
  job.search.push(trial);
  scheduleTrial(job, trial, t, job.plan.trialRun);
}

/** A `succeed` job may lose trials, but never more than maxFailedTrialCount allows. */
function wouldFailSucceedingJob(job: JobRecord): boolean {
  if (job.plan.scenario !== 'succeed' && job.plan.scenario !== 'slow') return false;
  let doomed = job.failedSearch;
  for (const trial of job.running) if (trial.plannedInfeasible) doomed++;
  return doomed + 1 > job.budget.maxFailed;
}

/** After every `frequency` finished search trials, trains the best `topN` not yet trained. */
export function maybeStartTrainTrials(job: JobRecord, t: SimTime): void {
  const train = job.budget.train;
  if (!train || job.finishedSearch % train.frequency !== 0) return;
  const trained = new Set(job.train.map(trial => trial.id));
  const candidates = rankSearchTrials(job).filter(trial => trial.measurement && !trained.has(trial.id));
  for (const source of candidates.slice(0, train.topN)) {
    const trial = newTrial(job, 'train', source.id, t, source.parameters);
    job.train.push(trial);
    scheduleTrial(job, trial, t, job.plan.trainRun);
  }
}

/** Search trials best-first by final metric (goal-aware), unmeasured ones after them in id order. */
export function rankSearchTrials(job: JobRecord): TrialRecord[] {
  const sign = job.budget.maximize ? -1 : 1;
  return [...job.search].sort((a, b) => {
    if (a.measurement && b.measurement) return sign * (a.measurement.value - b.measurement.value) || Number(a.id) - Number(b.id);
    if (a.measurement || b.measurement) return a.measurement ? -1 : 1;
    return Number(a.id) - Number(b.id);
  });
}

function newTrial(job: JobRecord, stage: TrialRecord['stage'], id: string, t: SimTime, parameters: string): TrialRecord {
  const trial: TrialRecord = {id, stage, state: 'REQUESTED', startTime: t, plannedInfeasible: false, parameters, states: []};
  trial.states.push({state: 'REQUESTED', time: t});
  job.running.add(trial);
  touch(job, t);
  return trial;
}

function scheduleTrial(job: JobRecord, trial: TrialRecord, t: SimTime, run: readonly [number, number]): void {
  const activeAt = t + drawMicros(job.rng, job.plan.trialRequest);
  job.events.push(activeAt, {kind: 'trial-state', trial, state: 'ACTIVE'});
  if (job.plan.scenario === 'stuck-running') return; // never finishes
  const runMicros = drawMicros(job.rng, run) * (trial.plannedInfeasible ? job.rng.uniform(0.1, 0.9) : 1);
  const endAt = activeAt + Math.max(1, Math.round(runMicros));
  if (!trial.plannedInfeasible && job.rng.chance(job.plan.stoppingProbability)) {
    const stopAt = Math.max(activeAt + 1, endAt - drawMicros(job.rng, job.plan.stopping));
    job.events.push(stopAt, {kind: 'trial-state', trial, state: 'STOPPING'});
  }
  job.events.push(endAt, {kind: 'trial-end', trial});
}

/** Ends a trial as planned: a measurement for a trial that ran, none for an infeasible one. */
export function finishTrial(job: JobRecord, trial: TrialRecord, t: SimTime, succeeded: boolean): void {
  endTrial(job, trial, t, succeeded && trial.activeTime !== undefined ? measure(job, trial, t) : undefined);
}

function measure(job: JobRecord, trial: TrialRecord, t: SimTime): Measurement {
  const {start, end, tau, noise} = job.plan.curve;
  const k = Number(trial.id);
  let value = start + (end - start) * (1 - Math.exp(-k / tau)) + noise * job.rng.normal();
  if (trial.stage === 'train') {
    const searched = job.search[k - 1]?.measurement?.value ?? value;
    value = searched + (job.budget.maximize ? 1 : -1) * job.rng.uniform(0.01, 0.04);
  }
  value = job.budget.maximize ? Math.min(1, Math.max(0, value)) : Math.max(0, value);
  const steps = trial.stage === 'train' ? job.rng.int(20, 60) * 1000 : job.rng.int(2, 10) * 1000;
  return {value: Math.round(value * 1e6) / 1e6, stepCount: steps, elapsedMicros: t - (trial.activeTime ?? trial.startTime)};
}

const KERNELS = [3, 5, 7];
const EXPANSIONS = [1, 3, 6];

/** An architecture in the shape Google's NAS tooling serialises: one choice per searched block. */
function drawParameters(rng: Rng): string {
  const blocks = Array.from({length: rng.int(4, 7)}, () => ({
    kernel_size: KERNELS[rng.int(0, KERNELS.length - 1)],
    expand_ratio: EXPANSIONS[rng.int(0, EXPANSIONS.length - 1)],
    filters_multiplier: [0.75, 1, 1.25][rng.int(0, 2)],
  }));
  return JSON.stringify({model_type: 'mnasnet', depth_multiplier: [0.5, 0.75, 1][rng.int(0, 2)], blocks});
}
