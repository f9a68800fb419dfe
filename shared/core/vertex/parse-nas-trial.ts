import {TRIAL_STATE} from './enums.js';
import {
  decodeDouble,
  decodeDuration,
  decodeInt64,
  decodeString,
  decodeTimestamp,
  enumDecoder,
  fail,
  listDecoder,
  type Decoder,
} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import {isNasTrialDetailName} from './names.js';
import type {Measurement, MeasurementMetric, NasTrial, NasTrialDetail} from './nas-trial.js';

const decodeMetric: Decoder<MeasurementMetric> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {metricId: m.orDefault('metricId', decodeString, ''), value: m.orDefault('value', decodeDouble, 0)};
};

/** Decodes a Measurement. */
export const decodeMeasurement: Decoder<Measurement> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('elapsedDuration', decodeDuration),
    ...m.optional('stepCount', decodeInt64),
    metrics: m.orDefault('metrics', listDecoder(decodeMetric), []),
  };
};

/** Decodes a NasTrial. */
export const decodeNasTrial: Decoder<NasTrial> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    id: m.orDefault('id', decodeString, ''),
    state: m.orDefault('state', enumDecoder(TRIAL_STATE), 'STATE_UNSPECIFIED'),
    ...m.optional('finalMeasurement', decodeMeasurement),
    ...m.optional('startTime', decodeTimestamp),
    ...m.optional('endTime', decodeTimestamp),
  };
};

/** Decodes a trial-detail resource name; it must be `projects/*\/locations/*\/nasJobs/*\/nasTrialDetails/*`. */
export const decodeTrialDetailName: Decoder<string> = (value, path) => {
  const name = decodeString(value, path);
  return isNasTrialDetailName(name) ? name : fail(path, 'expected projects/*/locations/*/nasJobs/*/nasTrialDetails/*', name);
};

/** Decodes a NasTrialDetail. */
export const decodeNasTrialDetail: Decoder<NasTrialDetail> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    name: m.required('name', decodeTrialDetailName),
    ...m.optional('parameters', decodeString),
    ...m.optional('searchTrial', decodeNasTrial),
    ...m.optional('trainTrial', decodeNasTrial),
  };
};

/** Parses a NasTrialDetail response body; throws PayloadInvalidError naming the JSON path. */
export function parseNasTrialDetail(json: unknown): NasTrialDetail {
  return decodeNasTrialDetail(json, '$');
}
