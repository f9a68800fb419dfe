// The slice of the aiplatform v1 message graph that a NasJob touches, in proto field order, so the
// simulator can reject unknown members, accept snake_case spellings and print fields in proto order.
// Notation: `out ` marks OUTPUT_ONLY, `[]` repeated, `enum:X` an enum of ENUMS, capitalised = message.
import type {EnumName} from './enums.js';

const MESSAGES = {
  NasJob: {
    name: 'out string', displayName: 'string', nasJobSpec: 'NasJobSpec', nasJobOutput: 'out NasJobOutput',
    state: 'out enum:JobState', createTime: 'out timestamp', startTime: 'out timestamp', endTime: 'out timestamp',
    updateTime: 'out timestamp', error: 'out status', labels: 'map', encryptionSpec: 'EncryptionSpec',
    enableRestrictedImageTraining: 'bool', satisfiesPzs: 'out bool', satisfiesPzi: 'out bool',
  },
  NasJobSpec: {multiTrialAlgorithmSpec: 'MultiTrialAlgorithmSpec', resumeNasJobId: 'string', searchSpaceSpec: 'string'},
  MultiTrialAlgorithmSpec: {
    multiTrialAlgorithm: 'enum:MultiTrialAlgorithm', metric: 'MetricSpec',
    searchTrialSpec: 'SearchTrialSpec', trainTrialSpec: 'TrainTrialSpec',
  },
  MetricSpec: {metricId: 'string', goal: 'enum:GoalType'},
  SearchTrialSpec: {
    searchTrialJobSpec: 'CustomJobSpec', maxTrialCount: 'int32', maxParallelTrialCount: 'int32', maxFailedTrialCount: 'int32',
  },
  TrainTrialSpec: {trainTrialJobSpec: 'CustomJobSpec', maxParallelTrialCount: 'int32', frequency: 'int32'},
  CustomJobSpec: {
    persistentResourceId: 'string', workerPoolSpecs: 'WorkerPoolSpec[]', scheduling: 'Scheduling',
    serviceAccount: 'string', network: 'string', reservedIpRanges: 'string[]', pscInterfaceConfig: 'PscInterfaceConfig',
    baseOutputDirectory: 'GcsDestination', protectedArtifactLocationId: 'string', tensorboard: 'string',
    enableWebAccess: 'bool', enableDashboardAccess: 'bool', experiment: 'string', experimentRun: 'string', models: 'string[]',
  },
  WorkerPoolSpec: {
    containerSpec: 'ContainerSpec', pythonPackageSpec: 'PythonPackageSpec', machineSpec: 'MachineSpec',
    replicaCount: 'int64', nfsMounts: 'NfsMount[]', lustreMounts: 'LustreMount[]', diskSpec: 'DiskSpec',
  },
  MachineSpec: {
    machineType: 'string', acceleratorType: 'enum:AcceleratorType', acceleratorCount: 'int32',
    gpuPartitionSize: 'string', tpuTopology: 'string', reservationAffinity: 'ReservationAffinity',
  },
  ReservationAffinity: {reservationAffinityType: 'enum:ReservationAffinityType', key: 'string', values: 'string[]'},
  DiskSpec: {bootDiskType: 'string', bootDiskSizeGb: 'int32'},
  ContainerSpec: {imageUri: 'string', command: 'string[]', args: 'string[]', env: 'EnvVar[]'},
  PythonPackageSpec: {
    executorImageUri: 'string', packageUris: 'string[]', pythonModule: 'string', args: 'string[]', env: 'EnvVar[]',
  },
  EnvVar: {name: 'string', value: 'string'},
  NfsMount: {server: 'string', path: 'string', mountPoint: 'string'},
  LustreMount: {instanceIp: 'string', volumeHandle: 'string', filesystem: 'string', mountPoint: 'string'},
  Scheduling: {
    timeout: 'duration', restartJobOnWorkerRestart: 'bool', strategy: 'enum:Strategy',
    disableRetries: 'bool', maxWaitDuration: 'duration',
  },
  GcsDestination: {outputUriPrefix: 'string'},
  PscInterfaceConfig: {networkAttachment: 'string', dnsPeeringConfigs: 'DnsPeeringConfig[]'},
  DnsPeeringConfig: {domain: 'string', targetProject: 'string', targetNetwork: 'string'},
  EncryptionSpec: {kmsKeyName: 'string'},
  NasJobOutput: {multiTrialJobOutput: 'MultiTrialJobOutput'},
  MultiTrialJobOutput: {searchTrials: 'NasTrial[]', trainTrials: 'NasTrial[]'},
  NasTrial: {
    id: 'string', state: 'enum:TrialState', finalMeasurement: 'Measurement', startTime: 'timestamp', endTime: 'timestamp',
  },
  Measurement: {elapsedDuration: 'duration', stepCount: 'int64', metrics: 'MeasurementMetric[]'},
  MeasurementMetric: {metricId: 'string', value: 'double'},
  NasTrialDetail: {name: 'string', parameters: 'string', searchTrial: 'NasTrial', trainTrial: 'NasTrial'},
  ListNasJobsResponse: {nasJobs: 'NasJob[]', nextPageToken: 'string'},
  ListNasTrialDetailsResponse: {nasTrialDetails: 'NasTrialDetail[]', nextPageToken: 'string'},
} as const;

export type MessageName = keyof typeof MESSAGES;
export type ScalarKind = 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'duration' | 'timestamp' | 'map' | 'status';

export type FieldKind =
  | {kind: ScalarKind}
  | {kind: 'enum'; enumName: EnumName}
  | {kind: 'message'; messageName: MessageName};

export type FieldSpec = FieldKind & {camel: string; snake: string; repeated: boolean; outputOnly: boolean};

export interface MessageSpec {
  fields: FieldSpec[];
  /** Looks a member up by its lowerCamelCase or its original snake_case name. */
  byName: Map<string, FieldSpec>;
}

export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
}

function parseField(camel: string, notation: string): FieldSpec {
  const outputOnly = notation.startsWith('out ');
  const body = outputOnly ? notation.slice(4) : notation;
  const repeated = body.endsWith('[]');
  const type = repeated ? body.slice(0, -2) : body;
  const base = {camel, snake: camelToSnake(camel), repeated, outputOnly};
  if (type.startsWith('enum:')) return {...base, kind: 'enum', enumName: type.slice(5) as EnumName};
  if (/^[A-Z]/.test(type)) return {...base, kind: 'message', messageName: type as MessageName};
  return {...base, kind: type as ScalarKind};
}

function buildSpecs(): Record<MessageName, MessageSpec> {
  const specs = {} as Record<MessageName, MessageSpec>;
  for (const [messageName, fields] of Object.entries(MESSAGES)) {
    const list = Object.entries(fields).map(([camel, notation]) => parseField(camel, notation));
    const byName = new Map<string, FieldSpec>();
    for (const field of list) byName.set(field.camel, field).set(field.snake, field);
    specs[messageName as MessageName] = {fields: list, byName};
  }
  return specs;
}

export const SCHEMA: Readonly<Record<MessageName, MessageSpec>> = buildSpecs();
