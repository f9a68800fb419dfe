import {parseDurationSeconds, type NasJobDraft} from '../vertex/index.js';
import {field, stageJobSpec, stageSpec, toCount, workerPools} from './job-view.js';
import {STAGES, type Stage} from './policy.js';

// An upper bound on the accelerator-hours a NAS job can consume (docs/policy.md, "Accelerator-hours"):
//   hours = Σ over stages: trials(stage) × acceleratorsPerTrial(stage) × timeoutHours(stage)
//   trials(search) = searchTrialSpec.maxTrialCount
//   trials(train)  = trainTrialSpec.maxParallelTrialCount × ceil(searchTrialSpec.maxTrialCount / max(1, frequency))
//   acceleratorsPerTrial = Σ over worker pools of replicaCount × acceleratorCount
//   timeoutHours = the stage's scheduling.timeout (default 7 days) / 3600
// Each trial is assumed to run to its timeout. Vertex's own retries of a trial on infrastructure
// errors are not counted. Values Vertex would reject (non-numeric counts or durations) make the
// result NaN, so a rule on it fails closed.

/** Vertex's default `scheduling.timeout` of a CustomJob: 7 days. */
export const DEFAULT_TRIAL_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** The projection of one stage. */
export interface StageHours {
  readonly trials: number;
  readonly acceleratorsPerTrial: number;
  readonly timeoutHours: number;
  readonly hours: number;
}

/** The projection of both stages and their sum. */
export interface AcceleratorHours {
  readonly search: StageHours;
  readonly train: StageHours;
  readonly total: number;
}

/** Projects the accelerator-hours of each stage; stages that are absent count 0. */
export function projectAcceleratorHoursByStage(
  job: NasJobDraft,
  defaultTimeoutSeconds: number = DEFAULT_TRIAL_TIMEOUT_SECONDS,
): AcceleratorHours {
  const accelerators: Record<Stage, number> = {search: 0, train: 0};
  for (const pool of workerPools(job)) {
    const replicas = pool.replicaCount === undefined ? 1 : toCount(pool.replicaCount);
    accelerators[pool.stage] += nonNegative(replicas) * acceleratorsPerReplica(pool.acceleratorType, pool.acceleratorCount);
  }
  const searchTrials = nonNegative(countOr0(field(stageSpec(job, 'search'), 'maxTrialCount')));
  const train = stageSpec(job, 'train');
  const trainTrials = train
    ? nonNegative(countOr0(train.maxParallelTrialCount)) * Math.ceil(searchTrials / Math.max(1, countOr0(train.frequency)))
    : 0;
  const trials: Record<Stage, number> = {search: searchTrials, train: trainTrials};
  const [search, trainHours] = STAGES.map(stage => {
    const timeoutHours = timeoutSeconds(job, stage, defaultTimeoutSeconds) / 3600;
    const stageTrials = stageSpec(job, stage) ? trials[stage] : 0;
    // Nothing to run, or nothing accelerated: 0 even when another factor is malformed.
    const hours = stageTrials === 0 || accelerators[stage] === 0 ? 0 : stageTrials * accelerators[stage] * timeoutHours;
    return {trials: stageTrials, acceleratorsPerTrial: accelerators[stage], timeoutHours, hours};
  }) as [StageHours, StageHours];
  return {search, train: trainHours, total: search.hours + trainHours.hours};
}

/** The upper bound on the accelerator-hours of a job (see the formula above). */
export function projectAcceleratorHours(job: NasJobDraft, defaultTimeoutSeconds: number = DEFAULT_TRIAL_TIMEOUT_SECONDS): number {
  return projectAcceleratorHoursByStage(job, defaultTimeoutSeconds).total;
}

/** The per-trial timeout of a stage in seconds: its scheduling.timeout, or the default when absent. */
export function timeoutSeconds(job: NasJobDraft, stage: Stage, defaultSeconds: number): number {
  const timeout = field(field(stageJobSpec(job, stage), 'scheduling'), 'timeout');
  if (timeout === undefined) return defaultSeconds;
  return typeof timeout === 'string' ? nonNegative(parseDurationSeconds(timeout) ?? Number.NaN) : Number.NaN;
}

// A type without a count still gets one accelerator: the bound must not undercount.
function acceleratorsPerReplica(type: string | undefined, count: unknown): number {
  if (type === undefined) return 0;
  if (count === undefined) return 1;
  const n = toCount(count);
  return Number.isNaN(n) ? n : Math.max(1, n);
}

function countOr0(value: unknown): number {
  return value === undefined ? 0 : toCount(value);
}

function nonNegative(n: number): number {
  return Number.isNaN(n) ? n : Math.max(0, n);
}
