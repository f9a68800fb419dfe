import type {CustomJobSpec} from './custom-job-spec.js';
import type {GoalType, JobState, MultiTrialAlgorithm} from './enums.js';
import type {NasTrial} from './nas-trial.js';
import type {Status} from './operation.js';
import type {EnumValue} from './proto-enum.js';

// Wire types of NasJob (vertex-nasjobs-api.md §2.1–2.3); model rules are stated in custom-job-spec.ts.
// REST reference: https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.nasJobs

/** NasJob as returned by get/list/create. List results never carry `nasJobOutput`. */
export interface NasJob {
  /** `projects/{project}/locations/{location}/nasJobs/{numeric id}`; Vertex writes the project number. */
  readonly name: string;
  /** ≤ 128 characters; `""` when omitted (e.g. trimmed by a readMask). */
  readonly displayName: string;
  /** Absent when trimmed by a readMask. */
  readonly nasJobSpec?: NasJobSpec;
  /** Only from get; absent from list results. */
  readonly nasJobOutput?: NasJobOutput;
  /** `JOB_STATE_UNSPECIFIED` when omitted. */
  readonly state: EnumValue<JobState>;
  readonly createTime?: string;
  /** First entry into RUNNING; absent for jobs that failed before running. */
  readonly startTime?: string;
  /** Set on entering SUCCEEDED, FAILED or CANCELLED. */
  readonly endTime?: string;
  /** Last modification; the best change-detection key. */
  readonly updateTime?: string;
  /** Only in FAILED or CANCELLED; classify by `state`, never by the presence of `error`. */
  readonly error?: Status;
  /** `{}` when omitted. */
  readonly labels: Readonly<Record<string, string>>;
  readonly encryptionSpec?: EncryptionSpec;
  /** Deprecated. */
  readonly enableRestrictedImageTraining?: boolean;
  readonly satisfiesPzs?: boolean;
  readonly satisfiesPzi?: boolean;
}

/** The body of nasJobs.create: the writable fields of a NasJob (the server assigns name and state). */
export interface NasJobDraft {
  readonly displayName: string;
  readonly nasJobSpec: NasJobSpec;
  readonly labels?: Readonly<Record<string, string>>;
  readonly encryptionSpec?: EncryptionSpec;
  readonly enableRestrictedImageTraining?: boolean;
}

/** NasJobSpec: the search space and the algorithm that explores it. */
export interface NasJobSpec {
  /** The only member of the `nas_algorithm_spec` oneof today. */
  readonly multiTrialAlgorithmSpec?: MultiTrialAlgorithmSpec;
  /** ID of a job in the same project and location to resume from. */
  readonly resumeNasJobId?: string;
  /** The serialized search space (opaque; PyGlove-generated in Google's CLI). */
  readonly searchSpaceSpec?: string;
}

/** MultiTrialAlgorithmSpec: algorithm, objective, and the trial specs of both stages. */
export interface MultiTrialAlgorithmSpec {
  /** UNSPECIFIED means REINFORCEMENT_LEARNING. */
  readonly multiTrialAlgorithm?: EnumValue<MultiTrialAlgorithm>;
  /** May be absent (or null on the wire) when resuming. */
  readonly metric?: MetricSpec;
  readonly searchTrialSpec?: SearchTrialSpec;
  readonly trainTrialSpec?: TrainTrialSpec;
}

/** MetricSpec: the metric the search optimises. */
export interface MetricSpec {
  /** No whitespace. */
  readonly metricId: string;
  readonly goal: EnumValue<GoalType>;
}

/** SearchTrialSpec: how search trials run and how many. */
export interface SearchTrialSpec {
  readonly searchTrialJobSpec?: CustomJobSpec;
  readonly maxTrialCount: number;
  readonly maxParallelTrialCount: number;
  /** 0 (or absent) means Vertex chooses the failure tolerance. */
  readonly maxFailedTrialCount?: number;
}

/** TrainTrialSpec: every `frequency` search trials, the best `maxParallelTrialCount` are re-trained. */
export interface TrainTrialSpec {
  readonly trainTrialJobSpec?: CustomJobSpec;
  readonly maxParallelTrialCount: number;
  readonly frequency: number;
}

/** EncryptionSpec: the CMEK key, in the job's region. */
export interface EncryptionSpec {
  /** `projects/{p}/locations/{region}/keyRings/{kr}/cryptoKeys/{key}`. */
  readonly kmsKeyName: string;
}

/** NasJobOutput: the trials started so far (oneof `output`, multi-trial only today). */
export interface NasJobOutput {
  readonly multiTrialJobOutput?: MultiTrialJobOutput;
}

/** MultiTrialJobOutput: started trials of each stage; `[]` when omitted. */
export interface MultiTrialJobOutput {
  readonly searchTrials: readonly NasTrial[];
  readonly trainTrials: readonly NasTrial[];
}

/** ListNasJobsResponse: one page of jobs, without `nasJobOutput`. */
export interface ListNasJobsResponse {
  readonly nasJobs: readonly NasJob[];
  /** Absent on the last page (an empty token means the same). */
  readonly nextPageToken?: string;
}
