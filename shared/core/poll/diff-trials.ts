import {enumName, isRunningTrialState, type NasJob, type NasTrial} from '../vertex/index.js';
import type {BestTrial, StageRecord, TrialCounts, TrialStage} from './job-record.js';

/** A trial that appeared or changed state since the previous `get`. */
export interface TrialChange {
  readonly stage: TrialStage;
  readonly trial: NasTrial;
  readonly previousState: string | null;
  readonly counts: TrialCounts;
}

/** A finished trial that beat the best metric of its stage. */
export interface BestImprovement {
  readonly stage: TrialStage;
  readonly metricId: string;
  readonly goal: 'MAXIMIZE' | 'MINIMIZE';
  readonly value: number;
  readonly previousBest: number | null;
  readonly trialId: string;
}

/** What one stage's trials say now, against the stage's record. */
export interface StageDiff {
  readonly record: StageRecord;
  readonly changes: readonly TrialChange[];
  readonly improvement?: BestImprovement;
}

/** The objective of the search: UNSPECIFIED means maximize (vertex-nasjobs-api.md §3.4). */
export function objectiveOf(job: NasJob): {metricId: string; goal: 'MAXIMIZE' | 'MINIMIZE'} | undefined {
  const metric = job.nasJobSpec?.multiTrialAlgorithmSpec?.metric;
  if (!metric?.metricId) return undefined;
  return {metricId: metric.metricId, goal: metric.goal === 'MINIMIZE' ? 'MINIMIZE' : 'MAXIMIZE'};
}

/** Compares one stage's trials with what was recorded; trials are keyed by id. */
export function diffStage(job: NasJob, stage: TrialStage, trials: readonly NasTrial[], previous: StageRecord | undefined): StageDiff {
  const counts = countTrials(job, stage, trials);
  const states: Record<string, string> = {};
  const changes: TrialChange[] = [];
  for (const trial of trials) {
    if (!trial.id) continue; // a trial without an id cannot be tracked; counted, never reported
    const state = enumName(trial.state);
    const before = previous?.states[trial.id] ?? null;
    states[trial.id] = state;
    if (before !== state) changes.push({stage, trial, previousState: before, counts});
  }
  const objective = objectiveOf(job);
  const best = objective ? bestOf(trials, objective.metricId, objective.goal, previous?.best) : previous?.best;
  // bestOf hands back the previous best object itself unless a trial beat it.
  const improved = objective && best && best !== previous?.best;
  const record: StageRecord = best ? {states, counts, best} : {states, counts};
  if (!improved) return {record, changes};
  const improvement: BestImprovement = {
    stage, metricId: objective.metricId, goal: objective.goal, value: best.value,
    previousBest: previous?.best?.value ?? null, trialId: best.trialId,
  };
  return {record, changes, improvement};
}

function countTrials(job: NasJob, stage: TrialStage, trials: readonly NasTrial[]): TrialCounts {
  const spec = job.nasJobSpec?.multiTrialAlgorithmSpec;
  const limits = stage === 'search'
    ? {max: spec?.searchTrialSpec?.maxTrialCount, maxFailed: spec?.searchTrialSpec?.maxFailedTrialCount}
    : {max: spec?.trainTrialSpec?.maxParallelTrialCount, maxFailed: undefined};
  return {
    total: trials.length,
    running: trials.filter(trial => isRunningTrialState(trial.state)).length,
    succeeded: trials.filter(trial => trial.state === 'SUCCEEDED').length,
    infeasible: trials.filter(trial => trial.state === 'INFEASIBLE').length,
    ...(limits.max === undefined ? {} : {max: limits.max}),
    ...(limits.maxFailed === undefined ? {} : {maxFailed: limits.maxFailed}),
  };
}

/** The best SUCCEEDED trial with a finite value of the metric; ties keep the earlier best. */
function bestOf(trials: readonly NasTrial[], metricId: string, goal: 'MAXIMIZE' | 'MINIMIZE', previous: BestTrial | undefined): BestTrial | undefined {
  let best = previous;
  for (const trial of trials) {
    if (trial.state !== 'SUCCEEDED' || !trial.id) continue;
    const value = trial.finalMeasurement?.metrics.find(metric => metric.metricId === metricId)?.value;
    if (value === undefined || !Number.isFinite(value)) continue;
    if (!best || (goal === 'MAXIMIZE' ? value > best.value : value < best.value)) best = {trialId: trial.id, value};
  }
  return best;
}
