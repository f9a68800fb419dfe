// Enum tables of the aiplatform v1 protos (name -> number). proto3 JSON accepts either form on input;
// the server answers with names unless the caller asked for `enum-encoding=int`.

const JOB_STATE = {
  JOB_STATE_UNSPECIFIED: 0,
  JOB_STATE_QUEUED: 1,
  JOB_STATE_PENDING: 2,
  JOB_STATE_RUNNING: 3,
  JOB_STATE_SUCCEEDED: 4,
  JOB_STATE_FAILED: 5,
  JOB_STATE_CANCELLING: 6,
  JOB_STATE_CANCELLED: 7,
  JOB_STATE_PAUSED: 8,
  JOB_STATE_EXPIRED: 9,
  JOB_STATE_UPDATING: 10,
  JOB_STATE_PARTIALLY_SUCCEEDED: 11,
} as const;

const TRIAL_STATE = {STATE_UNSPECIFIED: 0, REQUESTED: 1, ACTIVE: 2, STOPPING: 3, SUCCEEDED: 4, INFEASIBLE: 5} as const;

const ACCELERATOR_TYPE = {
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
} as const;

/** Every enum the simulator parses or prints, with the proto type name used in error messages. */
export const ENUMS = {
  JobState: {fullName: 'google.cloud.aiplatform.v1.JobState', values: JOB_STATE},
  TrialState: {fullName: 'google.cloud.aiplatform.v1.NasTrial.State', values: TRIAL_STATE},
  GoalType: {
    fullName: 'google.cloud.aiplatform.v1.NasJobSpec.MultiTrialAlgorithmSpec.MetricSpec.GoalType',
    values: {GOAL_TYPE_UNSPECIFIED: 0, MAXIMIZE: 1, MINIMIZE: 2},
  },
  MultiTrialAlgorithm: {
    fullName: 'google.cloud.aiplatform.v1.NasJobSpec.MultiTrialAlgorithmSpec.MultiTrialAlgorithm',
    values: {MULTI_TRIAL_ALGORITHM_UNSPECIFIED: 0, REINFORCEMENT_LEARNING: 1, GRID_SEARCH: 2},
  },
  AcceleratorType: {fullName: 'google.cloud.aiplatform.v1.AcceleratorType', values: ACCELERATOR_TYPE},
  Strategy: {
    fullName: 'google.cloud.aiplatform.v1.Scheduling.Strategy',
    values: {STRATEGY_UNSPECIFIED: 0, ON_DEMAND: 1, LOW_COST: 2, STANDARD: 3, SPOT: 4, FLEX_START: 6},
  },
  ReservationAffinityType: {
    fullName: 'google.cloud.aiplatform.v1.ReservationAffinity.Type',
    values: {TYPE_UNSPECIFIED: 0, NO_RESERVATION: 1, ANY_RESERVATION: 2, SPECIFIC_RESERVATION: 3},
  },
} as const;

export type EnumName = keyof typeof ENUMS;
export type JobState = keyof typeof JOB_STATE;
export type TrialState = keyof typeof TRIAL_STATE;


/** States after which Vertex never changes the job again (PAUSED included, as Google's own pollers do). */
const TERMINAL: ReadonlySet<JobState> = new Set<JobState>([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

export function isTerminalState(state: JobState): boolean {
  return TERMINAL.has(state);
}

/** Name for a name-or-number input, or undefined when it names no value of the enum. */
export function resolveEnumValue(enumName: EnumName, input: unknown): string | undefined {
  const values: Record<string, number> = ENUMS[enumName].values;
  if (typeof input === 'string') return input in values ? input : undefined;
  if (typeof input === 'number' && Number.isInteger(input)) {
    return Object.keys(values).find(name => values[name] === input);
  }
  return undefined;
}

export function enumNumber(enumName: EnumName, name: string): number {
  const values: Record<string, number> = ENUMS[enumName].values;
  return values[name] ?? 0;
}

export function isEnumDefault(enumName: EnumName, name: string): boolean {
  return enumNumber(enumName, name) === 0;
}
