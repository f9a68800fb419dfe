// An independent statement of the model's shape, used by the property tests to prove that whatever a
// parser returns has the right JSON types in every known field and no stray members.
import {
  ACCELERATOR_TYPE,
  GOAL_TYPE,
  JOB_STATE,
  MULTI_TRIAL_ALGORITHM,
  SCHEDULING_STRATEGY,
  TRIAL_STATE,
} from '../../../../shared/core/vertex/enums.js';
import {isNasJobName, isNasTrialDetailName, isOperationName} from '../../../../shared/core/vertex/names.js';
import {isKnownName, UnknownEnum, type ProtoEnum} from '../../../../shared/core/vertex/proto-enum.js';
import {isDuration, isTimestamp} from '../../../../shared/core/vertex/time.js';

type Check = (value: unknown, path: string, problems: string[]) => void;
const OPTIONAL = Symbol('optional');
type Field = Check | {[OPTIONAL]: Check};

const is = (test: (v: unknown) => boolean, what: string): Check => (v, path, problems) => {
  if (!test(v)) problems.push(`${path}: expected ${what}, got ${JSON.stringify(v)}`);
};
const str = is(v => typeof v === 'string', 'string');
const num = is(v => typeof v === 'number', 'number');
const int = is(v => Number.isInteger(v), 'integer');
const bool = is(v => typeof v === 'boolean', 'boolean');
const int64 = is(v => typeof v === 'string' && /^-?\d+$/.test(v) && BigInt(v).toString() === v, 'int64 string');
const timestamp = is(v => typeof v === 'string' && isTimestamp(v), 'timestamp');
const duration = is(v => typeof v === 'string' && isDuration(v), 'duration');
const rawObject = is(v => typeof v === 'object' && v !== null && !Array.isArray(v), 'object');
const anyMessage = is(v => typeof v === 'object' && v !== null && typeof (v as {'@type'?: unknown})['@type'] === 'string', 'Any');
const enumOf = (def: ProtoEnum<string>): Check =>
  is(v => isKnownName(def, v) || (v instanceof UnknownEnum && v.enumType === def.typeName && !isKnownName(def, v.raw) && !def.nameOf.has(v.raw as number)), def.typeName);
const opt = (check: Check): Field => ({[OPTIONAL]: check});
const arr = (item: Check): Check => (v, path, problems) => {
  if (!Array.isArray(v)) return void problems.push(`${path}: expected array`);
  v.forEach((x, i) => item(x, `${path}[${i}]`, problems));
};
const map = (value: Check): Check => (v, path, problems) => {
  rawObject(v, path, problems);
  if (typeof v === 'object' && v !== null) Object.entries(v).forEach(([k, x]) => value(x, `${path}.${k}`, problems));
};
const obj = (fields: Record<string, Field>): Check => (v, path, problems) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return void problems.push(`${path}: expected object`);
  for (const key of Object.keys(v)) if (!(key in fields)) problems.push(`${path}: stray member ${key}`);
  for (const [key, field] of Object.entries(fields)) {
    const value = (v as Record<string, unknown>)[key];
    const optional = typeof field === 'object';
    if (optional && !(key in v)) continue;
    if (optional && value === undefined) problems.push(`${path}.${key}: present but undefined`);
    else (optional ? field[OPTIONAL] : field)(value, `${path}.${key}`, problems);
  }
};

const status = obj({code: int, message: str, details: arr(rawObject)});
const envVar = obj({name: str, value: str});
const strings = arr(str);
const customJobSpec = obj({
  workerPoolSpecs: arr(obj({
    containerSpec: opt(obj({imageUri: str, command: opt(strings), args: opt(strings), env: opt(arr(envVar))})),
    pythonPackageSpec: opt(obj({executorImageUri: str, packageUris: strings, pythonModule: str, args: opt(strings), env: opt(arr(envVar))})),
    machineSpec: opt(obj({machineType: str, acceleratorType: opt(enumOf(ACCELERATOR_TYPE)), acceleratorCount: opt(int), gpuPartitionSize: opt(str), tpuTopology: opt(str), reservationAffinity: opt(rawObject)})),
    replicaCount: opt(int64),
    diskSpec: opt(obj({bootDiskType: opt(str), bootDiskSizeGb: opt(int)})),
    nfsMounts: opt(arr(rawObject)),
    lustreMounts: opt(arr(rawObject)),
  })),
  scheduling: opt(obj({timeout: opt(duration), restartJobOnWorkerRestart: opt(bool), strategy: opt(enumOf(SCHEDULING_STRATEGY)), disableRetries: opt(bool), maxWaitDuration: opt(duration)})),
  serviceAccount: opt(str), network: opt(str), reservedIpRanges: opt(strings), pscInterfaceConfig: opt(rawObject),
  baseOutputDirectory: opt(obj({outputUriPrefix: str})), protectedArtifactLocationId: opt(str), persistentResourceId: opt(str),
  tensorboard: opt(str), enableWebAccess: opt(bool), enableDashboardAccess: opt(bool), experiment: opt(str), experimentRun: opt(str), models: opt(strings),
});
const trial = obj({
  id: str,
  state: enumOf(TRIAL_STATE),
  finalMeasurement: opt(obj({elapsedDuration: opt(duration), stepCount: opt(int64), metrics: arr(obj({metricId: str, value: num}))})),
  startTime: opt(timestamp),
  endTime: opt(timestamp),
});

/** The shape of a parsed NasJob. */
export const nasJobShape = obj({
  name: is(v => typeof v === 'string' && isNasJobName(v), 'job name'),
  displayName: str,
  nasJobSpec: opt(obj({
    multiTrialAlgorithmSpec: opt(obj({
      multiTrialAlgorithm: opt(enumOf(MULTI_TRIAL_ALGORITHM)),
      metric: opt(obj({metricId: str, goal: enumOf(GOAL_TYPE)})),
      searchTrialSpec: opt(obj({searchTrialJobSpec: opt(customJobSpec), maxTrialCount: int, maxParallelTrialCount: int, maxFailedTrialCount: opt(int)})),
      trainTrialSpec: opt(obj({trainTrialJobSpec: opt(customJobSpec), maxParallelTrialCount: int, frequency: int})),
    })),
    resumeNasJobId: opt(str),
    searchSpaceSpec: opt(str),
  })),
  nasJobOutput: opt(obj({multiTrialJobOutput: opt(obj({searchTrials: arr(trial), trainTrials: arr(trial)}))})),
  state: enumOf(JOB_STATE),
  createTime: opt(timestamp), startTime: opt(timestamp), endTime: opt(timestamp), updateTime: opt(timestamp),
  error: opt(status),
  labels: map(str),
  encryptionSpec: opt(obj({kmsKeyName: str})),
  enableRestrictedImageTraining: opt(bool), satisfiesPzs: opt(bool), satisfiesPzi: opt(bool),
});

/** The shape of a parsed NasTrialDetail. */
export const nasTrialDetailShape = obj({
  name: is(v => typeof v === 'string' && isNasTrialDetailName(v), 'trial detail name'),
  parameters: opt(str),
  searchTrial: opt(trial),
  trainTrial: opt(trial),
});

/** The shape of a parsed Operation. */
export const operationShape = obj({
  name: is(v => typeof v === 'string' && isOperationName(v), 'operation name'),
  done: bool,
  metadata: opt(anyMessage),
  error: opt(status),
  response: opt(anyMessage),
});

/** The problems of `value` against `shape`; empty when it conforms. */
export function shapeProblems(shape: Check, value: unknown): string[] {
  const problems: string[] = [];
  shape(value, '$', problems);
  return problems;
}
