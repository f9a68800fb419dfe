// In-memory shape of a simulated job. Everything the REST surface prints is derived from it.
import type {JobState, TrialState} from '../proto/enums.js';
import type {JsonObject} from '../proto/normalize-input.js';
import type {SimTime} from '../proto/time-format.js';
import type {EventQueue} from './event-queue.js';
import type {Rng} from './prng.js';
import type {CancelOutcome, Scenario} from './sim-config.js';

export interface StateEntry {
  state: string;
  time: SimTime;
}

/**
 * A cancel request the simulator answered 200: `started` moved the job to CANCELLING, `repeated` found
 * it CANCELLING already. Kept so a ground-truth check can count the cancels a client really made.
 */
export interface CancelRequest {
  time: SimTime;
  effect: 'started' | 'repeated';
}

export interface RpcStatus {
  code: number;
  message: string;
}

export interface Measurement {
  value: number;
  stepCount: number;
  elapsedMicros: number;
}

export interface TrialRecord {
  id: string;
  stage: 'search' | 'train';
  state: TrialState;
  startTime: SimTime;
  activeTime?: SimTime;
  endTime?: SimTime;
  measurement?: Measurement;
  /** Decided when the trial starts, so the outcome does not depend on when anyone looks. */
  plannedInfeasible: boolean;
  parameters: string;
  states: StateEntry[];
}

/** Everything random about a job, drawn once at creation. Durations in microseconds. */
export interface JobPlan {
  scenario: Scenario;
  cancelOutcome: CancelOutcome;
  queuedMicros: number;
  pendingMicros: number;
  capacityFailMicros: number;
  cancelMicros: number;
  trialRequest: readonly [number, number];
  trialRun: readonly [number, number];
  trainRun: readonly [number, number];
  stopping: readonly [number, number];
  stoppingProbability: number;
  infeasibleProbability: number;
  curve: {start: number; end: number; tau: number; noise: number};
}

/** Trial budget and objective, read from the spec once (0 counts already resolved to effective values). */
export interface TrialBudget {
  maxTrials: number;
  maxParallel: number;
  maxFailed: number;
  train?: {topN: number; frequency: number};
  metricId: string;
  maximize: boolean;
}

export type JobEvent =
  | {kind: 'job-state'; state: JobState; error?: RpcStatus}
  | {kind: 'start'}
  | {kind: 'trial-state'; trial: TrialRecord; state: TrialState}
  | {kind: 'trial-end'; trial: TrialRecord}
  | {kind: 'cancel-resolve'}
  | {kind: 'finish-empty'};

export interface JobRecord {
  /** Creation order across the whole simulator; history lists jobs in this order. */
  seq: number;
  id: string;
  name: string;
  targetKey: string;
  location: string;
  /** Canonical client-supplied members (displayName, nasJobSpec, labels, …) in proto order. */
  input: JsonObject;
  displayName: string;
  labels: Readonly<Record<string, string>>;
  state: JobState;
  createTime: SimTime;
  startTime?: SimTime;
  endTime?: SimTime;
  updateTime: SimTime;
  error?: RpcStatus;
  states: StateEntry[];
  deleted: boolean;
  deleteTime?: SimTime;
  /** Every cancel request served (answered 200), in order; refused ones are not kept. */
  cancelRequests: CancelRequest[];
  plan: JobPlan;
  budget: TrialBudget;
  rng: Rng;
  events: EventQueue<JobEvent>;
  search: TrialRecord[];
  train: TrialRecord[];
  /** Trials in REQUESTED, ACTIVE or STOPPING (both stages); never more than the parallel limits. */
  running: Set<TrialRecord>;
  failedSearch: number;
  finishedSearch: number;
  /** Accelerators (by AcceleratorType name) the job holds while not terminal, for the accelerator quota. */
  accelerators: Readonly<Record<string, number>>;
}
