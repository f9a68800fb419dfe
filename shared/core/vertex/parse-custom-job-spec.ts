import type {
  ContainerSpec,
  CustomJobSpec,
  DiskSpec,
  EnvVar,
  GcsDestination,
  MachineSpec,
  PythonPackageSpec,
  Scheduling,
  WorkerPoolSpec,
} from './custom-job-spec.js';
import {ACCELERATOR_TYPE, SCHEDULING_STRATEGY} from './enums.js';
import {
  decodeBool,
  decodeDuration,
  decodeInt32,
  decodeInt64,
  decodeObject,
  decodeString,
  enumDecoder,
  listDecoder,
  type Decoder,
} from './json-fields.js';
import {JsonMessage} from './json-message.js';

const strings = listDecoder(decodeString);
const objects = listDecoder(decodeObject);

/** Decodes a CustomJobSpec (search or train trial job spec). */
export const decodeCustomJobSpec: Decoder<CustomJobSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    workerPoolSpecs: m.orDefault('workerPoolSpecs', listDecoder(decodeWorkerPoolSpec), []),
    ...m.optional('scheduling', decodeScheduling),
    ...m.optional('serviceAccount', decodeString),
    ...m.optional('network', decodeString),
    ...m.optional('reservedIpRanges', strings),
    ...m.optional('pscInterfaceConfig', decodeObject),
    ...m.optional('baseOutputDirectory', decodeGcsDestination),
    ...m.optional('protectedArtifactLocationId', decodeString),
    ...m.optional('persistentResourceId', decodeString),
    ...m.optional('tensorboard', decodeString),
    ...m.optional('enableWebAccess', decodeBool),
    ...m.optional('enableDashboardAccess', decodeBool),
    ...m.optional('experiment', decodeString),
    ...m.optional('experimentRun', decodeString),
    ...m.optional('models', strings),
  };
};

/** Decodes a WorkerPoolSpec; `{}` (a skipped pool) is valid. */
export const decodeWorkerPoolSpec: Decoder<WorkerPoolSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('containerSpec', decodeContainerSpec),
    ...m.optional('pythonPackageSpec', decodePythonPackageSpec),
    ...m.optional('machineSpec', decodeMachineSpec),
    ...m.optional('replicaCount', decodeInt64),
    ...m.optional('diskSpec', decodeDiskSpec),
    ...m.optional('nfsMounts', objects),
    ...m.optional('lustreMounts', objects),
  };
};

const decodeMachineSpec: Decoder<MachineSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    machineType: m.orDefault('machineType', decodeString, ''),
    ...m.optional('acceleratorType', enumDecoder(ACCELERATOR_TYPE)),
    ...m.optional('acceleratorCount', decodeInt32),
    ...m.optional('gpuPartitionSize', decodeString),
    ...m.optional('tpuTopology', decodeString),
    ...m.optional('reservationAffinity', decodeObject),
  };
};

const decodeDiskSpec: Decoder<DiskSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {...m.optional('bootDiskType', decodeString), ...m.optional('bootDiskSizeGb', decodeInt32)};
};

const decodeEnvVar: Decoder<EnvVar> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {name: m.orDefault('name', decodeString, ''), value: m.orDefault('value', decodeString, '')};
};

const decodeContainerSpec: Decoder<ContainerSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    imageUri: m.orDefault('imageUri', decodeString, ''),
    ...m.optional('command', strings),
    ...m.optional('args', strings),
    ...m.optional('env', listDecoder(decodeEnvVar)),
  };
};

const decodePythonPackageSpec: Decoder<PythonPackageSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    executorImageUri: m.orDefault('executorImageUri', decodeString, ''),
    packageUris: m.orDefault('packageUris', strings, []),
    pythonModule: m.orDefault('pythonModule', decodeString, ''),
    ...m.optional('args', strings),
    ...m.optional('env', listDecoder(decodeEnvVar)),
  };
};

const decodeScheduling: Decoder<Scheduling> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('timeout', decodeDuration),
    ...m.optional('restartJobOnWorkerRestart', decodeBool),
    ...m.optional('strategy', enumDecoder(SCHEDULING_STRATEGY)),
    ...m.optional('disableRetries', decodeBool),
    ...m.optional('maxWaitDuration', decodeDuration),
  };
};

const decodeGcsDestination: Decoder<GcsDestination> = (value, path) => ({
  outputUriPrefix: JsonMessage.of(value, path).orDefault('outputUriPrefix', decodeString, ''),
});
