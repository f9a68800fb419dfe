// Test data builders (style.md §2.7: B's factories). `a…Json` builders give REST JSON as Vertex sends it;
// the others give parsed model values. Overrides replace whole top-level fields.
import {readFileSync} from 'node:fs';
import type {NasJob, NasJobDraft} from '../shared/core/vertex/nas-job.js';
import type {NasTrial, NasTrialDetail} from '../shared/core/vertex/nas-trial.js';

const PARENT = 'projects/123456789012/locations/us-central1';

/** Reads `test/fixtures/vertex/<file>` as parsed JSON. */
export function vertexFixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/vertex/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A NasJob model value: a RUNNING job with one search trial and no train stage. */
export function aNasJob(overrides: Partial<NasJob> = {}): NasJob {
  return {
    name: `${PARENT}/nasJobs/1000000000000000001`,
    displayName: 'search-job',
    nasJobSpec: aNasJobDraft().nasJobSpec,
    state: 'JOB_STATE_RUNNING',
    createTime: '2025-07-20T10:00:00.000000Z',
    startTime: '2025-07-20T10:05:00.000000Z',
    updateTime: '2025-07-20T10:05:00.000000Z',
    labels: {team: 'vision'},
    ...overrides,
  };
}

/** The REST JSON of a NasJob (`state` as a name, int64 as strings); overrides are merged last. */
export function aNasJobJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {...(JSON.parse(JSON.stringify(aNasJob())) as Record<string, unknown>), ...overrides};
}

/** A valid create body: one T4 worker pool running a container, 20 trials, 4 in parallel. */
export function aNasJobDraft(overrides: Partial<NasJobDraft> = {}): NasJobDraft {
  return {
    displayName: 'search-job',
    labels: {team: 'vision'},
    nasJobSpec: {
      searchSpaceSpec: '{"search_space": "mnasnet"}',
      multiTrialAlgorithmSpec: {
        multiTrialAlgorithm: 'REINFORCEMENT_LEARNING',
        metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
        searchTrialSpec: {
          maxTrialCount: 20,
          maxParallelTrialCount: 4,
          searchTrialJobSpec: {
            workerPoolSpecs: [
              {
                machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1},
                replicaCount: '1',
                containerSpec: {imageUri: 'us-central1-docker.pkg.dev/p/nas/trainer:1', args: ['--epochs=5']},
              },
            ],
            baseOutputDirectory: {outputUriPrefix: 'gs://bucket/nas/'},
          },
        },
      },
    },
    ...overrides,
  };
}

/** A NasTrial model value: a SUCCEEDED trial with one metric. */
export function aNasTrial(overrides: Partial<NasTrial> = {}): NasTrial {
  return {
    id: '1',
    state: 'SUCCEEDED',
    finalMeasurement: {stepCount: '100', metrics: [{metricId: 'top_1_accuracy', value: 0.5}]},
    startTime: '2025-07-20T10:06:00Z',
    endTime: '2025-07-20T10:36:00Z',
    ...overrides,
  };
}

/** A NasTrialDetail model value for trial `id` of the default job. */
export function aNasTrialDetail(id = '1', overrides: Partial<NasTrialDetail> = {}): NasTrialDetail {
  return {
    name: `${aNasJob().name}/nasTrialDetails/${id}`,
    parameters: '{"kernel": 3}',
    searchTrial: aNasTrial({id}),
    ...overrides,
  };
}

/** Google's error envelope for an HTTP status and canonical code. */
export function aGoogleErrorBody(code: number, status: string, message = 'error', details: unknown[] = []) {
  return {error: {code, message, status, ...(details.length ? {details} : {})}};
}

/** A RetryInfo detail asking for `seconds` of delay. */
export function aRetryInfo(seconds: number) {
  return {'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s`};
}

/** A finished delete Operation as REST JSON. */
export function aDeleteOperationJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {...vertexFixture('delete-operation.json'), ...overrides};
}
