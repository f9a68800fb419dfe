import type {NasJob} from '../vertex/index.js';

// What nasmon remembers about one NAS job between polls: the previous snapshot the diff runs against.

/** A trial stage of a multi-trial search. */
export type TrialStage = 'search' | 'train';

/** The best finished trial of one stage so far. */
export interface BestTrial {
  readonly trialId: string;
  readonly value: number;
}

/** Trial progress of one stage, as counted from the latest `get`. */
export interface TrialCounts {
  readonly total: number;
  readonly running: number;
  readonly succeeded: number;
  readonly infeasible: number;
  /** `maxTrialCount` (search) or `maxParallelTrialCount` (train, the top-N), when known. */
  readonly max?: number;
  /** `maxFailedTrialCount` (search only); 0 means Vertex decides. */
  readonly maxFailed?: number;
}

/** Trial-level memory of one stage: each trial's last state, the counts and the best so far. */
export interface StageRecord {
  /** Trial id → last observed state name. */
  readonly states: Readonly<Record<string, string>>;
  readonly counts: TrialCounts;
  readonly best?: BestTrial;
}

/** The stored mirror of one job. */
export interface JobRecord {
  readonly name: string;
  /** The last snapshot in REST JSON, without `nasJobOutput`. */
  readonly job: NasJob;
  /** The state name as Vertex sent it (an unknown enum keeps its raw form). */
  readonly state: string;
  /** 1 for the first observation, +1 for every recorded transition (deletion included). */
  readonly sequence: number;
  /** When the job entered `state`: Vertex's own timestamp where one exists, else when nasmon saw it. */
  readonly stateSince: string;
  readonly updateTime?: string;
  /** The job's `updateTime` when its trials were last read with `get`. */
  readonly trialsUpdateTime?: string;
  readonly stages: Readonly<Partial<Record<TrialStage, StageRecord>>>;
  readonly deleted: boolean;
}
