import {ACCELERATOR_TYPE, GOAL_TYPE, MULTI_TRIAL_ALGORITHM, SCHEDULING_STRATEGY} from '../vertex/enums.js';
import type {FieldRule, MessageRules} from './strict-json.js';

// The create body (a NasJob) as the gate accepts it: every member of the v1 protos, OUTPUT_ONLY ones
// marked so they are refused by name, REQUIRED ones per the protos (vertex-nasjobs-api.md §2), and the
// ranges the gate adds on top (counts ≥ 1, 128-character display name, at most 4 worker pools).

const text = (extra: Omit<Extract<FieldRule, {t: 'string'}>, 't'> = {}): FieldRule => ({t: 'string', ...extra});
const required = (rule: FieldRule): FieldRule => ({...rule, required: true});
const message = (of: MessageRules): FieldRule => ({t: 'message', of});
const list = (of: FieldRule, maxItems?: number): FieldRule => ({t: 'list', of, ...(maxItems === undefined ? {} : {maxItems})});
const int32 = (min?: number, max?: number): FieldRule => ({t: 'int32', ...(min === undefined ? {} : {min}), ...(max === undefined ? {} : {max})});
const bool: FieldRule = {t: 'bool'};
const output: FieldRule = {t: 'output'};
const strings = list(text());

const ENV_VAR: MessageRules = {
  name: required(text({pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, hint: 'must be a C identifier (letters, digits, "_")'})),
  value: text(),
};

const CONTAINER_SPEC: MessageRules = {
  imageUri: required(text()),
  command: strings,
  args: strings,
  env: list(message(ENV_VAR), 100),
};

const PYTHON_PACKAGE_SPEC: MessageRules = {
  executorImageUri: required(text()),
  packageUris: required(list(text({pattern: /^gs:\/\//, hint: 'must be a gs:// URI'}), 100)),
  pythonModule: required(text()),
  args: strings,
  env: list(message(ENV_VAR), 100),
};

const MACHINE_SPEC: MessageRules = {
  machineType: required(text({pattern: /^[a-z0-9][a-z0-9-]*$/, hint: 'must be a machine type such as "n1-standard-8"'})),
  acceleratorType: {t: 'enum', def: ACCELERATOR_TYPE},
  acceleratorCount: int32(0),
  gpuPartitionSize: text(),
  tpuTopology: text({pattern: /^\d+(x\d+)*$/, hint: 'must be a topology such as "2x2x1"'}),
  reservationAffinity: message({
    reservationAffinityType: text({
      pattern: /^(TYPE_UNSPECIFIED|NO_RESERVATION|ANY_RESERVATION|SPECIFIC_RESERVATION)$/,
      hint: 'must be NO_RESERVATION, ANY_RESERVATION or SPECIFIC_RESERVATION',
    }),
    key: text(),
    values: strings,
  }),
};

const WORKER_POOL_SPEC: MessageRules = {
  containerSpec: message(CONTAINER_SPEC),
  pythonPackageSpec: message(PYTHON_PACKAGE_SPEC),
  machineSpec: message(MACHINE_SPEC),
  replicaCount: {t: 'int64', min: 1},
  diskSpec: message({bootDiskType: text(), bootDiskSizeGb: int32(10, 65_536)}),
  nfsMounts: list(message({server: text(), path: text(), mountPoint: text()})),
  lustreMounts: list(message({instanceIp: text(), volumeHandle: text(), filesystem: text(), mountPoint: text()})),
};

const CUSTOM_JOB_SPEC: MessageRules = {
  persistentResourceId: text(),
  // Vertex runs at most four pools: chief, workers, parameter servers, evaluators.
  workerPoolSpecs: required(list(message(WORKER_POOL_SPEC), 4)),
  scheduling: message({
    timeout: {t: 'duration', minSeconds: 1},
    restartJobOnWorkerRestart: bool,
    strategy: {t: 'enum', def: SCHEDULING_STRATEGY},
    disableRetries: bool,
    maxWaitDuration: {t: 'duration', minSeconds: 0},
  }),
  serviceAccount: text({pattern: /^[^@\s]+@[^@\s]+$/, hint: 'must be a service account email'}),
  network: text({pattern: /^projects\/[^/]+\/global\/networks\/[^/]+$/, hint: 'must be projects/{project}/global/networks/{name}'}),
  reservedIpRanges: strings,
  pscInterfaceConfig: message({
    networkAttachment: text(),
    dnsPeeringConfigs: list(message({domain: text(), targetProject: text(), targetNetwork: text()})),
  }),
  baseOutputDirectory: message({outputUriPrefix: required(text({pattern: /^gs:\/\/[^/]+/, hint: 'must be a gs:// URI'}))}),
  protectedArtifactLocationId: text(),
  tensorboard: text(),
  enableWebAccess: bool,
  enableDashboardAccess: bool,
  experiment: text(),
  experimentRun: text(),
  models: strings,
};

const MULTI_TRIAL_ALGORITHM_SPEC: MessageRules = {
  multiTrialAlgorithm: {t: 'enum', def: MULTI_TRIAL_ALGORITHM},
  // Required unless the job resumes another one; that rule spans two messages (validate-create-body.ts).
  metric: message({
    metricId: required(text({pattern: /^\S+$/, hint: 'must not contain whitespace'})),
    goal: required({t: 'enum', def: GOAL_TYPE, forbidden: ['GOAL_TYPE_UNSPECIFIED']}),
  }),
  searchTrialSpec: required(
    message({
      searchTrialJobSpec: required(message(CUSTOM_JOB_SPEC)),
      maxTrialCount: required(int32(1)),
      maxParallelTrialCount: required(int32(1)),
      maxFailedTrialCount: int32(0),
    }),
  ),
  trainTrialSpec: message({
    trainTrialJobSpec: required(message(CUSTOM_JOB_SPEC)),
    maxParallelTrialCount: required(int32(1)),
    frequency: required(int32(1)),
  }),
};

/** The members of a create body (a NasJob). */
export const CREATE_BODY_RULES: MessageRules = {
  name: output,
  displayName: required(text({maxLength: 128})),
  nasJobSpec: required(
    message({
      multiTrialAlgorithmSpec: required(message(MULTI_TRIAL_ALGORITHM_SPEC)),
      resumeNasJobId: text({pattern: /^[1-9]\d{0,18}$/, hint: 'must be the numeric ID of a NasJob'}),
      searchSpaceSpec: text(),
    }),
  ),
  nasJobOutput: output,
  state: output,
  createTime: output,
  startTime: output,
  endTime: output,
  updateTime: output,
  error: output,
  labels: {t: 'map'},
  encryptionSpec: message({
    kmsKeyName: required(
      text({
        pattern: /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
        hint: 'must be projects/{p}/locations/{l}/keyRings/{ring}/cryptoKeys/{key}',
      }),
    ),
  }),
  enableRestrictedImageTraining: bool,
  satisfiesPzs: output,
  satisfiesPzi: output,
};
