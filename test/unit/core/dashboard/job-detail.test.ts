import {describe, expect, it} from 'vitest';
import {buildJobDetail, type JobFile, type TrialsResult} from '../../../../shared/core/dashboard/index.js';
import {aNasJob} from '../../../factories.js';
import {aDashboardJob, entered, NOW, trial} from './dashboard-kit.js';

const file = (job = aDashboardJob()): JobFile => ({job, history: [entered(1, 'RUNNING', 0)], audit: [], deliveries: []});

describe('buildJobDetail', () => {
  it.each<[string, JobFile, TrialsResult, unknown]>([
    ['curves from finished trials', file(), {kind: 'trials', trials: [trial('1', 10, 0.5)]}, {status: 'ok'}],
    ['no trial finished yet', file(), {kind: 'trials', trials: [trial('1', 10, undefined, 'ACTIVE')]}, {status: 'none', message: 'no trial has finished yet'}],
    ['a job without trials', file(), {kind: 'none'}, {status: 'none'}],
    ['trials that could not be read', file(), {kind: 'unavailable', reason: 'Vertex is down'}, {status: 'unavailable', message: 'Vertex is down'}],
    ['a job that names no metric', file(aDashboardJob({nasJobSpec: {}})), {kind: 'trials', trials: [trial('1', 10, 0.5)]},
      {status: 'none', message: 'the job names no metric to optimise'}],
  ])('shows %s', (_, jobFile, trials, expected) => {
    expect(buildJobDetail(jobFile, trials, undefined, NOW).trials).toMatchObject(expected as object);
  });

  it('carries the row, labels, timeline, Vertex\'s error and the cancel tracking', () => {
    const failed = aDashboardJob({state: 'JOB_STATE_FAILED', error: {code: 8, message: 'Resources are insufficient', details: []}, labels: {team: 'vision', x: '<b>'}});
    const detail = buildJobDetail({...file(failed), cancel: {rule: 'max-run', status: 'sent', attempts: 1}}, {kind: 'none'}, undefined, NOW);

    expect(detail).toMatchObject({
      job: {name: aNasJob().name}, labels: {team: 'vision', x: '<b>'}, error: 'code 8: Resources are insufficient',
      cancel: {rule: 'max-run', status: 'sent', attempts: 1}, timeline: {lanes: [{state: 'RUNNING'}]},
    });
  });
});
