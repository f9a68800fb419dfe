import type {AcceleratorType, SchedulingStrategy} from './enums.js';
import type {EnumValue} from './proto-enum.js';

// Wire types of CustomJobSpec as used by NAS search and train trials (vertex-nasjobs-api.md §2.5).
// REST reference: https://cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec
// Model rules (all of shared/core/vertex): int64 are decimal strings, Timestamps RFC 3339 strings, Durations
// "<seconds>s" strings; REQUIRED scalars are always present (proto3 default when omitted on the wire);
// other scalars and messages are absent when omitted; repeated output fields are [] when omitted.

/** An untyped JSON object kept as received (rarely used sub-messages). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** CustomJobSpec: how every trial of one stage runs. */
export interface CustomJobSpec {
  /** REQUIRED; pool 0 is the chief, later pools may be `{}` to skip. */
  readonly workerPoolSpecs: readonly WorkerPoolSpec[];
  readonly scheduling?: Scheduling;
  /** Run-as service account; the caller needs `iam.serviceAccounts.actAs` on it. */
  readonly serviceAccount?: string;
  /** `projects/{project_number}/global/networks/{name}`. */
  readonly network?: string;
  readonly reservedIpRanges?: readonly string[];
  readonly pscInterfaceConfig?: JsonObject;
  readonly baseOutputDirectory?: GcsDestination;
  readonly protectedArtifactLocationId?: string;
  readonly persistentResourceId?: string;
  readonly tensorboard?: string;
  readonly enableWebAccess?: boolean;
  readonly enableDashboardAccess?: boolean;
  readonly experiment?: string;
  readonly experimentRun?: string;
  readonly models?: readonly string[];
}

/** WorkerPoolSpec: one pool of identical replicas; exactly one of `containerSpec` / `pythonPackageSpec`. */
export interface WorkerPoolSpec {
  readonly containerSpec?: ContainerSpec;
  readonly pythonPackageSpec?: PythonPackageSpec;
  readonly machineSpec?: MachineSpec;
  /** int64 as a decimal string. */
  readonly replicaCount?: string;
  readonly diskSpec?: DiskSpec;
  readonly nfsMounts?: readonly JsonObject[];
  readonly lustreMounts?: readonly JsonObject[];
}

/** MachineSpec: machine and accelerators of each replica. */
export interface MachineSpec {
  /** e.g. `n1-standard-8`; required inside a worker pool. */
  readonly machineType: string;
  readonly acceleratorType?: EnumValue<AcceleratorType>;
  readonly acceleratorCount?: number;
  readonly gpuPartitionSize?: string;
  /** e.g. `2x2x1`. */
  readonly tpuTopology?: string;
  readonly reservationAffinity?: JsonObject;
}

/** DiskSpec: the boot disk of each replica. */
export interface DiskSpec {
  /** `pd-ssd` (default), `pd-standard` or `hyperdisk-balanced`. */
  readonly bootDiskType?: string;
  /** Default 100. */
  readonly bootDiskSizeGb?: number;
}

/** ContainerSpec: a custom training container. */
export interface ContainerSpec {
  readonly imageUri: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
}

/** PythonPackageSpec: a Python package run on a prebuilt Vertex training image. */
export interface PythonPackageSpec {
  readonly executorImageUri: string;
  /** ≤ 100 Cloud Storage URIs. */
  readonly packageUris: readonly string[];
  readonly pythonModule: string;
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
}

/** EnvVar: `name` must be a valid C identifier. */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

/** Scheduling: trial timeout (default 7 days), restart and provisioning strategy. */
export interface Scheduling {
  /** Duration string, e.g. `"1209600s"`. */
  readonly timeout?: string;
  readonly restartJobOnWorkerRestart?: boolean;
  readonly strategy?: EnumValue<SchedulingStrategy>;
  readonly disableRetries?: boolean;
  /** Duration string; FLEX_START only. */
  readonly maxWaitDuration?: string;
}

/** GcsDestination: a `gs://` prefix; Vertex appends `/` if missing. */
export interface GcsDestination {
  readonly outputUriPrefix: string;
}
