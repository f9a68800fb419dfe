import {describe, expect, it} from 'vitest';
import {parseNasJob} from '../../../../shared/core/vertex/parse-nas-job.js';
import {PayloadInvalidError} from '../../../../shared/core/vertex/payload-error.js';
import {UnknownEnum} from '../../../../shared/core/vertex/proto-enum.js';
import {toRestJson} from '../../../../shared/core/vertex/rest-json.js';
import {aNasJobJson, vertexFixture} from '../../../factories.js';

describe('parseNasJob on recorded shapes', () => {
  it('parses a running job with search and train trials', () => {
    const job = parseNasJob(vertexFixture('nas-job-running.json'));

    expect(job.state).toBe('JOB_STATE_RUNNING');
    expect(job.labels).toEqual({team: 'vision', request_id: '6f1c1a52-3c3e-4b0e-9d55-4b8d2a1f0c11'});
    const search = job.nasJobSpec?.multiTrialAlgorithmSpec?.searchTrialSpec;
    expect(search).toMatchObject({maxTrialCount: 2000, maxParallelTrialCount: 50, maxFailedTrialCount: 100});
    expect(search?.searchTrialJobSpec?.workerPoolSpecs[0]).toMatchObject({
      replicaCount: '1',
      machineSpec: {machineType: 'n1-standard-16', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 2},
    });
    const output = job.nasJobOutput?.multiTrialJobOutput;
    expect(output?.searchTrials.map(t => t.state)).toEqual(['SUCCEEDED', 'INFEASIBLE', 'ACTIVE', 'REQUESTED']);
    expect(output?.searchTrials[0]?.finalMeasurement).toEqual({
      elapsedDuration: '3512.250s',
      stepCount: '5000',
      metrics: [
        {metricId: 'top_1_accuracy', value: 0.7412},
        {metricId: 'latency_ms', value: 12.5},
      ],
    });
    expect(output?.trainTrials).toHaveLength(1);
  });

  it('parses a job that failed before running: endTime and error, but no startTime', () => {
    const job = parseNasJob(vertexFixture('nas-job-failed-before-running.json'));

    expect(job).toMatchObject({state: 'JOB_STATE_FAILED', error: {code: 8, details: []}});
    expect(job.startTime).toBeUndefined();
    expect(job.endTime).toBe('2025-07-21T08:31:47.889012Z');
    expect(job.nasJobOutput).toBeUndefined();
    expect(job.labels).toEqual({});
  });

  it('parses a cancelled job whose error is {code: 1, message: "CANCELED"}', () => {
    const job = parseNasJob(vertexFixture('nas-job-cancelled.json'));

    expect(job.state).toBe('JOB_STATE_CANCELLED');
    expect(job.error).toEqual({code: 1, message: 'CANCELED', details: []});
  });

  it('maps numeric enums (enum-encoding=int) to their names', () => {
    const job = parseNasJob(vertexFixture('nas-job-numeric-enums.json'));
    const spec = job.nasJobSpec?.multiTrialAlgorithmSpec;

    expect(job.state).toBe('JOB_STATE_RUNNING');
    expect(spec?.multiTrialAlgorithm).toBe('GRID_SEARCH');
    expect(spec?.metric?.goal).toBe('MINIMIZE');
    expect(spec?.searchTrialSpec?.searchTrialJobSpec?.workerPoolSpecs[0]?.machineSpec?.acceleratorType).toBe('TPU_V5_LITEPOD');
    expect(spec?.searchTrialSpec?.searchTrialJobSpec?.scheduling?.strategy).toBe('FLEX_START');
    expect(job.nasJobOutput?.multiTrialJobOutput?.searchTrials[0]?.state).toBe('ACTIVE');
  });

  it('round-trips through toRestJson for every fixture', () => {
    for (const file of ['nas-job-running.json', 'nas-job-failed-before-running.json', 'nas-job-cancelled.json']) {
      const job = parseNasJob(vertexFixture(file));
      expect(parseNasJob(toRestJson(job))).toEqual(job);
    }
  });
});

describe('parseNasJob tolerance', () => {
  it.each([
    ['an unknown state name', {state: 'JOB_STATE_HIBERNATING'}, new UnknownEnum('JobState', 'JOB_STATE_HIBERNATING')],
    ['an unknown state number', {state: 99}, new UnknownEnum('JobState', 99)],
    ['an omitted state (proto3 default)', {state: undefined}, 'JOB_STATE_UNSPECIFIED'],
    ['a null state (proto3 default)', {state: null}, 'JOB_STATE_UNSPECIFIED'],
  ])('keeps %s visible', (_, override, expected) => {
    expect(parseNasJob(aNasJobJson(override)).state).toEqual(expected);
  });

  it('accepts snake_case member names, as Google’s CLI sends them', () => {
    const job = parseNasJob({
      name: 'projects/p/locations/us-central1/nasJobs/1',
      display_name: 'snake',
      create_time: '2025-07-20T10:00:00Z',
      nas_job_spec: {resume_nas_job_id: '42', multi_trial_algorithm_spec: {search_trial_spec: {max_trial_count: '7'}}},
    });

    expect(job).toMatchObject({displayName: 'snake', createTime: '2025-07-20T10:00:00Z'});
    expect(job.nasJobSpec).toEqual({
      resumeNasJobId: '42',
      multiTrialAlgorithmSpec: {searchTrialSpec: {maxTrialCount: 7, maxParallelTrialCount: 0}},
    });
  });

  it('fills proto3 defaults and leaves optional fields absent for a minimal job', () => {
    const job = parseNasJob({name: 'projects/p/locations/l/nasJobs/1'});

    expect(job).toEqual({name: 'projects/p/locations/l/nasJobs/1', displayName: '', state: 'JOB_STATE_UNSPECIFIED', labels: {}});
    expect(Object.keys(job)).toEqual(['name', 'displayName', 'state', 'labels']);
  });

  it('ignores members it does not know', () => {
    expect(parseNasJob(aNasJobJson({futureField: {x: 1}}))).not.toHaveProperty('futureField');
  });

  it('accepts an int64 sent as a JSON number and keeps it as a string', () => {
    const json = aNasJobJson({
      nasJobSpec: {multiTrialAlgorithmSpec: {searchTrialSpec: {searchTrialJobSpec: {workerPoolSpecs: [{replicaCount: 3}]}}}},
    });
    const pool = parseNasJob(json).nasJobSpec?.multiTrialAlgorithmSpec?.searchTrialSpec?.searchTrialJobSpec?.workerPoolSpecs[0];
    expect(pool?.replicaCount).toBe('3');
  });
});

describe('parseNasJob strictness', () => {
  it.each([
    ['a missing name', {name: undefined}, '$.name', 'required member is missing'],
    ['a name of another resource', {name: 'projects/p/locations/l/customJobs/1'}, '$.name', 'expected projects/*/locations/*/nasJobs/*'],
    ['a name with an extra segment', {name: 'projects/p/locations/l/nasJobs/1/x'}, '$.name', 'nasJobs/*'],
    ['state as an object', {state: {name: 'RUNNING'}}, '$.state', 'expected a name or number of enum JobState, got an object'],
    ['state as a fraction', {state: 2.5}, '$.state', 'JobState'],
    ['createTime not a timestamp', {createTime: 'yesterday'}, '$.createTime', 'expected an RFC 3339 timestamp'],
    ['createTime as epoch seconds', {createTime: 1721469731}, '$.createTime', 'RFC 3339'],
    ['labels as an array', {labels: ['a']}, '$.labels', 'expected an object, got an array'],
    ['a label value that is a number', {labels: {team: 7}}, '$.labels.team', 'expected a string, got 7'],
    ['displayName as a number', {displayName: 12}, '$.displayName', 'expected a string'],
    ['error.code as a string word', {error: {code: 'CANCELLED'}}, '$.error.code', 'expected an int32'],
    ['a scalar body', {}, '$', ''],
  ])('rejects %s with payload-invalid at the path', (label, override, path, reason) => {
    const json = label === 'a scalar body' ? 'not a job' : aNasJobJson(override);
    const error = catchError(() => parseNasJob(json));

    expect(error).toBeInstanceOf(PayloadInvalidError);
    expect(error).toMatchObject({code: 'payload-invalid', path, retryable: false});
    expect((error as PayloadInvalidError).reason).toContain(reason);
  });

  it.each([
    ['an int64 with letters', '12a', 'expected an int64 decimal string'],
    ['an int64 beyond 2^63', '9223372036854775808', 'int64'],
    ['an int64 as a fraction', 1.5, 'int64'],
  ])('rejects %s in replicaCount, naming the nested path', (_, replicaCount, reason) => {
    const json = aNasJobJson({
      nasJobSpec: {multiTrialAlgorithmSpec: {searchTrialSpec: {searchTrialJobSpec: {workerPoolSpecs: [{}, {replicaCount}]}}}},
    });
    expect(catchError(() => parseNasJob(json))).toMatchObject({
      path: '$.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[1].replicaCount',
      reason: expect.stringContaining(reason),
    });
  });

  it('names the snake_case spelling in the path when that is what arrived', () => {
    const error = catchError(() => parseNasJob(aNasJobJson({createTime: undefined, create_time: 'soon'})));
    expect(error).toMatchObject({path: '$.create_time'});
  });

  it('rejects a trial whose state is a boolean, naming the trial', () => {
    const json = vertexFixture('nas-job-running.json');
    (json['nasJobOutput'] as {multiTrialJobOutput: {searchTrials: Array<Record<string, unknown>>}}).multiTrialJobOutput.searchTrials[2]!['state'] = true;
    expect(catchError(() => parseNasJob(json))).toMatchObject({path: '$.nasJobOutput.multiTrialJobOutput.searchTrials[2].state'});
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
