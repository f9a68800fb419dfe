// Real-looking NasJob snapshots for the diff tests, built as the REST API returns them.
import {parseNasJob, type NasJob} from '../../../../shared/core/vertex/index.js';

export const JOB = 'projects/123456789012/locations/us-central1/nasJobs/4417291937424343040';
const T0 = Date.parse('2026-11-02T09:00:00Z');

/** ISO time `minutes` after the history's start. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

type Trial = [id: string, state: string, value?: number];

/** A job snapshot as `get` returns it; pass `trials` to include nasJobOutput. */
export function snapshot(state: string, minute: number, options: {
  trials?: Trial[]; trainTrials?: Trial[]; started?: number; ended?: number; goal?: string; error?: object;
} = {}): NasJob {
  return parseNasJob({
    name: JOB,
    displayName: 'mnasnet-search',
    state,
    createTime: at(0),
    updateTime: at(minute),
    ...(options.started === undefined ? {} : {startTime: at(options.started)}),
    ...(options.ended === undefined ? {} : {endTime: at(options.ended)}),
    ...(options.error ? {error: options.error} : {}),
    labels: {team: 'vision'},
    nasJobSpec: {multiTrialAlgorithmSpec: {
      metric: {metricId: 'top_1_accuracy', goal: options.goal ?? 'MAXIMIZE'},
      searchTrialSpec: {maxTrialCount: 20, maxParallelTrialCount: 4, maxFailedTrialCount: 3,
        searchTrialJobSpec: {workerPoolSpecs: [{machineSpec: {machineType: 'n1-standard-8'}, replicaCount: '1',
          containerSpec: {imageUri: 'us-docker.pkg.dev/p/nas/trainer:1'}}]}},
      trainTrialSpec: {maxParallelTrialCount: 2, frequency: 10,
        trainTrialJobSpec: {workerPoolSpecs: [{machineSpec: {machineType: 'n1-standard-8'}, replicaCount: '1',
          containerSpec: {imageUri: 'us-docker.pkg.dev/p/nas/trainer:1'}}]}},
    }},
    ...(options.trials || options.trainTrials ? {nasJobOutput: {multiTrialJobOutput: {
      searchTrials: (options.trials ?? []).map(toTrial),
      trainTrials: (options.trainTrials ?? []).map(toTrial),
    }}} : {}),
  });
}

function toTrial([id, state, value]: Trial): object {
  return {id, state, startTime: at(1), ...(value === undefined ? {} : {
    endTime: at(2), finalMeasurement: {stepCount: '1000', elapsedDuration: '600s', metrics: [{metricId: 'top_1_accuracy', value}]},
  })};
}
