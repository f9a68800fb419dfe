// Renders records as proto3 JSON in proto field order, omitting unset members like Vertex does.
import type {JsonObject} from '../proto/normalize-input.js';
import {formatDuration, formatTimestamp} from '../proto/time-format.js';
import type {JobRecord, TrialRecord} from './job-record.js';

/** The NasJob resource; `withOutput` false gives the list form, which never carries nasJobOutput. */
export function renderJob(job: JobRecord, withOutput: boolean): JsonObject {
  const {input} = job;
  const out: JsonObject = {name: job.name, displayName: job.displayName, nasJobSpec: input.nasJobSpec};
  if (withOutput && job.startTime !== undefined) out.nasJobOutput = renderOutput(job);
  out.state = job.state;
  out.createTime = formatTimestamp(job.createTime);
  if (job.startTime !== undefined) out.startTime = formatTimestamp(job.startTime);
  if (job.endTime !== undefined) out.endTime = formatTimestamp(job.endTime);
  out.updateTime = formatTimestamp(job.updateTime);
  if (job.error) out.error = {code: job.error.code, message: job.error.message};
  for (const key of ['labels', 'encryptionSpec', 'enableRestrictedImageTraining'] as const) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out;
}

function renderOutput(job: JobRecord): JsonObject {
  const multiTrialJobOutput: JsonObject = {};
  if (job.search.length > 0) multiTrialJobOutput.searchTrials = job.search.map(t => renderTrial(t, job.budget.metricId));
  if (job.train.length > 0) multiTrialJobOutput.trainTrials = job.train.map(t => renderTrial(t, job.budget.metricId));
  return {multiTrialJobOutput};
}

export function renderTrial(trial: TrialRecord, metricId: string): JsonObject {
  const out: JsonObject = {id: trial.id, state: trial.state};
  const m = trial.measurement;
  if (m) {
    out.finalMeasurement = {
      elapsedDuration: formatDuration(m.elapsedMicros),
      stepCount: String(m.stepCount),
      metrics: [{metricId, value: m.value}],
    };
  }
  out.startTime = formatTimestamp(trial.startTime);
  if (trial.endTime !== undefined) out.endTime = formatTimestamp(trial.endTime);
  return out;
}

/** NasTrialDetail for one search trial, with its train trial when it was selected for training. */
export function renderTrialDetail(job: JobRecord, trial: TrialRecord): JsonObject {
  const out: JsonObject = {
    name: `${job.name}/nasTrialDetails/${trial.id}`,
    parameters: trial.parameters,
    searchTrial: renderTrial(trial, job.budget.metricId),
  };
  const trained = job.train.find(t => t.id === trial.id);
  if (trained) out.trainTrial = renderTrial(trained, job.budget.metricId);
  return out;
}
