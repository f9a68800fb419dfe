import {defineProtoEnum} from './proto-enum.js';

// Tables follow vertex-nasjobs-api.md §3 (protos of @google-cloud/aiplatform 6.11.0).

/** google.cloud.aiplatform.v1.JobState, in number order (index = number). */
export const JOB_STATES = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_UPDATING',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
] as const;
/** A known JobState name. */
export type JobState = (typeof JOB_STATES)[number];
/** JobState name↔number tables. */
export const JOB_STATE = defineProtoEnum('JobState', JOB_STATES, indexNumbers(JOB_STATES));

/** NasTrial.State, in number order (index = number). There is no FAILED: a crashed trial is INFEASIBLE. */
export const TRIAL_STATES = [
  'STATE_UNSPECIFIED',
  'REQUESTED',
  'ACTIVE',
  'STOPPING',
  'SUCCEEDED',
  'INFEASIBLE',
] as const;
/** A known NasTrial.State name. */
export type TrialState = (typeof TRIAL_STATES)[number];
/** NasTrial.State name↔number tables. */
export const TRIAL_STATE = defineProtoEnum('NasTrial.State', TRIAL_STATES, indexNumbers(TRIAL_STATES));

/** MetricSpec.GoalType; UNSPECIFIED means maximize. */
export const GOAL_TYPES = ['GOAL_TYPE_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE'] as const;
/** A known GoalType name. */
export type GoalType = (typeof GOAL_TYPES)[number];
/** GoalType name↔number tables. */
export const GOAL_TYPE = defineProtoEnum('MetricSpec.GoalType', GOAL_TYPES, indexNumbers(GOAL_TYPES));

/** MultiTrialAlgorithm; UNSPECIFIED means REINFORCEMENT_LEARNING. */
export const MULTI_TRIAL_ALGORITHMS = [
  'MULTI_TRIAL_ALGORITHM_UNSPECIFIED',
  'REINFORCEMENT_LEARNING',
  'GRID_SEARCH',
] as const;
/** A known MultiTrialAlgorithm name. */
export type MultiTrialAlgorithm = (typeof MULTI_TRIAL_ALGORITHMS)[number];
/** MultiTrialAlgorithm name↔number tables. */
export const MULTI_TRIAL_ALGORITHM = defineProtoEnum(
  'MultiTrialAlgorithm',
  MULTI_TRIAL_ALGORITHMS,
  indexNumbers(MULTI_TRIAL_ALGORITHMS),
);

/** AcceleratorType; numbers are not in name order (TPUs were interleaved), so they are listed explicitly. */
export const ACCELERATOR_TYPES = [
  'ACCELERATOR_TYPE_UNSPECIFIED',
  'NVIDIA_TESLA_K80',
  'NVIDIA_TESLA_P100',
  'NVIDIA_TESLA_V100',
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_T4',
  'TPU_V2',
  'TPU_V3',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'TPU_V4_POD',
  'NVIDIA_L4',
  'TPU_V5_LITEPOD',
  'NVIDIA_H100_80GB',
  'NVIDIA_H100_MEGA_80GB',
  'NVIDIA_H200_141GB',
  'NVIDIA_B200',
  'NVIDIA_GB200',
  'NVIDIA_RTX_PRO_6000',
] as const;
/** A known AcceleratorType name. */
export type AcceleratorType = (typeof ACCELERATOR_TYPES)[number];
/** AcceleratorType name↔number tables. */
export const ACCELERATOR_TYPE = defineProtoEnum('AcceleratorType', ACCELERATOR_TYPES, {
  ACCELERATOR_TYPE_UNSPECIFIED: 0,
  NVIDIA_TESLA_K80: 1,
  NVIDIA_TESLA_P100: 2,
  NVIDIA_TESLA_V100: 3,
  NVIDIA_TESLA_P4: 4,
  NVIDIA_TESLA_T4: 5,
  TPU_V2: 6,
  TPU_V3: 7,
  NVIDIA_TESLA_A100: 8,
  NVIDIA_A100_80GB: 9,
  TPU_V4_POD: 10,
  NVIDIA_L4: 11,
  TPU_V5_LITEPOD: 12,
  NVIDIA_H100_80GB: 13,
  NVIDIA_H100_MEGA_80GB: 14,
  NVIDIA_H200_141GB: 15,
  NVIDIA_B200: 16,
  NVIDIA_GB200: 17,
  NVIDIA_RTX_PRO_6000: 18,
});

/** Scheduling.Strategy; there is no number 5, and ON_DEMAND/LOW_COST are deprecated. */
export const SCHEDULING_STRATEGIES = [
  'STRATEGY_UNSPECIFIED',
  'ON_DEMAND',
  'LOW_COST',
  'STANDARD',
  'SPOT',
  'FLEX_START',
] as const;
/** A known Scheduling.Strategy name. */
export type SchedulingStrategy = (typeof SCHEDULING_STRATEGIES)[number];
/** Scheduling.Strategy name↔number tables. */
export const SCHEDULING_STRATEGY = defineProtoEnum('Scheduling.Strategy', SCHEDULING_STRATEGIES, {
  STRATEGY_UNSPECIFIED: 0,
  ON_DEMAND: 1,
  LOW_COST: 2,
  STANDARD: 3,
  SPOT: 4,
  FLEX_START: 6,
});

function indexNumbers<N extends string>(names: readonly N[]): Record<N, number> {
  return Object.fromEntries(names.map((name, index) => [name, index])) as Record<N, number>;
}
