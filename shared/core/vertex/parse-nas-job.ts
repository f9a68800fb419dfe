import {GOAL_TYPE, JOB_STATE, MULTI_TRIAL_ALGORITHM} from './enums.js';
import {
  decodeBool,
  decodeInt32,
  decodeString,
  decodeStringMap,
  decodeTimestamp,
  enumDecoder,
  fail,
  listDecoder,
  type Decoder,
} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import {isNasJobName} from './names.js';
import type {
  EncryptionSpec,
  MetricSpec,
  MultiTrialAlgorithmSpec,
  MultiTrialJobOutput,
  NasJob,
  NasJobOutput,
  NasJobSpec,
  SearchTrialSpec,
  TrainTrialSpec,
} from './nas-job.js';
import {decodeCustomJobSpec} from './parse-custom-job-spec.js';
import {decodeNasTrial} from './parse-nas-trial.js';
import {decodeStatus} from './parse-status.js';

/** Decodes a job resource name; it must be `projects/*\/locations/*\/nasJobs/*`. */
export const decodeNasJobName: Decoder<string> = (value, path) => {
  const name = decodeString(value, path);
  return isNasJobName(name) ? name : fail(path, 'expected projects/*/locations/*/nasJobs/*', name);
};

/** Decodes a NasJob. */
export const decodeNasJob: Decoder<NasJob> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    name: m.required('name', decodeNasJobName),
    displayName: m.orDefault('displayName', decodeString, ''),
    ...m.optional('nasJobSpec', decodeNasJobSpec),
    ...m.optional('nasJobOutput', decodeNasJobOutput),
    state: m.orDefault('state', enumDecoder(JOB_STATE), 'JOB_STATE_UNSPECIFIED'),
    ...m.optional('createTime', decodeTimestamp),
    ...m.optional('startTime', decodeTimestamp),
    ...m.optional('endTime', decodeTimestamp),
    ...m.optional('updateTime', decodeTimestamp),
    ...m.optional('error', decodeStatus),
    labels: m.orDefault('labels', decodeStringMap, {}),
    ...m.optional('encryptionSpec', decodeEncryptionSpec),
    ...m.optional('enableRestrictedImageTraining', decodeBool),
    ...m.optional('satisfiesPzs', decodeBool),
    ...m.optional('satisfiesPzi', decodeBool),
  };
};

/** Parses a NasJob response body (get/create); throws PayloadInvalidError naming the JSON path. */
export function parseNasJob(json: unknown): NasJob {
  return decodeNasJob(json, '$');
}

const decodeNasJobSpec: Decoder<NasJobSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('multiTrialAlgorithmSpec', decodeMultiTrialAlgorithmSpec),
    ...m.optional('resumeNasJobId', decodeString),
    ...m.optional('searchSpaceSpec', decodeString),
  };
};

const decodeMultiTrialAlgorithmSpec: Decoder<MultiTrialAlgorithmSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('multiTrialAlgorithm', enumDecoder(MULTI_TRIAL_ALGORITHM)),
    ...m.optional('metric', decodeMetricSpec),
    ...m.optional('searchTrialSpec', decodeSearchTrialSpec),
    ...m.optional('trainTrialSpec', decodeTrainTrialSpec),
  };
};

const decodeMetricSpec: Decoder<MetricSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    metricId: m.orDefault('metricId', decodeString, ''),
    goal: m.orDefault('goal', enumDecoder(GOAL_TYPE), 'GOAL_TYPE_UNSPECIFIED'),
  };
};

const decodeSearchTrialSpec: Decoder<SearchTrialSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('searchTrialJobSpec', decodeCustomJobSpec),
    maxTrialCount: m.orDefault('maxTrialCount', decodeInt32, 0),
    maxParallelTrialCount: m.orDefault('maxParallelTrialCount', decodeInt32, 0),
    ...m.optional('maxFailedTrialCount', decodeInt32),
  };
};

const decodeTrainTrialSpec: Decoder<TrainTrialSpec> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('trainTrialJobSpec', decodeCustomJobSpec),
    maxParallelTrialCount: m.orDefault('maxParallelTrialCount', decodeInt32, 0),
    frequency: m.orDefault('frequency', decodeInt32, 0),
  };
};

const decodeEncryptionSpec: Decoder<EncryptionSpec> = (value, path) => ({
  kmsKeyName: JsonMessage.of(value, path).orDefault('kmsKeyName', decodeString, ''),
});

const decodeNasJobOutput: Decoder<NasJobOutput> = (value, path) =>
  JsonMessage.of(value, path).optional('multiTrialJobOutput', decodeMultiTrialJobOutput);

const decodeMultiTrialJobOutput: Decoder<MultiTrialJobOutput> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    searchTrials: m.orDefault('searchTrials', listDecoder(decodeNasTrial), []),
    trainTrials: m.orDefault('trainTrials', listDecoder(decodeNasTrial), []),
  };
};
