import {describe, expect, it, vi} from 'vitest';
import {createVertexTrialSource} from '../../../../shared/adapters/dashboard/vertex-trial-source.js';
import type {JobRecord} from '../../../../shared/core/poll/job-record.js';
import {aNasJob, aNasTrial} from '../../../factories.js';

const stages = {search: {states: {'1': 'SUCCEEDED'}, counts: {total: 1, running: 0, succeeded: 1, infeasible: 0}}};
const record = (overrides: Partial<JobRecord> = {}): JobRecord => ({
  name: aNasJob().name, job: aNasJob(), state: 'JOB_STATE_RUNNING', sequence: 2, stateSince: '', stages, deleted: false, trialsUpdateTime: 'T1', ...overrides,
});
const withTrials = aNasJob({nasJobOutput: {multiTrialJobOutput: {
  searchTrials: [aNasTrial(), {id: '2', state: 'INFEASIBLE', endTime: '2025-07-20T10:36:00Z'}],
  trainTrials: [aNasTrial({finalMeasurement: {metrics: [{metricId: 'top_1_accuracy', value: 0.6}]}})],
}}});

describe('createVertexTrialSource', () => {
  it('reads each trial\'s state, end and metrics from Vertex', async () => {
    const source = createVertexTrialSource({getNasJob: async () => withTrials});

    expect(await source.trialsOf(record())).toEqual({kind: 'trials', trials: [
      {stage: 'search', id: '1', state: 'SUCCEEDED', endTime: '2025-07-20T10:36:00Z', metrics: {top_1_accuracy: 0.5}},
      {stage: 'search', id: '2', state: 'INFEASIBLE', endTime: '2025-07-20T10:36:00Z', metrics: {}},
      {stage: 'train', id: '1', state: 'SUCCEEDED', endTime: '2025-07-20T10:36:00Z', metrics: {top_1_accuracy: 0.6}},
    ]});
  });

  it('asks Vertex again only once the poller saw the trials change', async () => {
    const getNasJob = vi.fn(async () => withTrials);
    const source = createVertexTrialSource({getNasJob});

    await Promise.all([source.trialsOf(record()), source.trialsOf(record())]);
    await source.trialsOf(record());
    await source.trialsOf(record({trialsUpdateTime: 'T2'}));

    expect(getNasJob).toHaveBeenCalledTimes(2);
  });

  it('does not remember a failed read', async () => {
    const getNasJob = vi.fn().mockRejectedValueOnce(new Error('503')).mockResolvedValue(withTrials);
    const source = createVertexTrialSource({getNasJob});

    await expect(source.trialsOf(record())).rejects.toThrow('503');
    await expect(source.trialsOf(record())).resolves.toMatchObject({kind: 'trials'});
  });

  it('keeps at most cacheSize jobs', async () => {
    const getNasJob = vi.fn(async () => withTrials);
    const source = createVertexTrialSource({getNasJob, cacheSize: 1});

    for (const time of ['A', 'B', 'A']) await source.trialsOf(record({trialsUpdateTime: time}));

    expect(getNasJob).toHaveBeenCalledTimes(3);
  });

  it.each([
    ['a job without trials', record({stages: {}}), {kind: 'none'}],
    ['a deleted job', record({deleted: true}), {kind: 'unavailable'}],
  ])('does not call Vertex for %s', async (_, jobRecord, answer) => {
    const getNasJob = vi.fn(async () => withTrials);

    expect(await createVertexTrialSource({getNasJob}).trialsOf(jobRecord)).toMatchObject(answer);
    expect(getNasJob).not.toHaveBeenCalled();
  });
});
