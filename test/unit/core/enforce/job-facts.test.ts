import {describe, expect, it} from 'vitest';
import {
  EMPTY_ENFORCE_STATE, jobFactsOf, MAX_TRIAL_MARKS, median, mergeFinishedTrials, resolveLimit, searchDurations, sourceOfFreshJob, sourceOfRecord,
  type StagedTrial,
} from '../../../../shared/core/enforce/index.js';
import type {JobRecord} from '../../../../shared/core/poll/job-record.js';
import type {NasJob} from '../../../../shared/core/vertex/index.js';
import {aNasJob, aNasTrial} from '../../../factories.js';

const record = (overrides: Partial<JobRecord> = {}): JobRecord => ({
  name: aNasJob().name, job: aNasJob(), state: 'JOB_STATE_RUNNING', sequence: 2, stateSince: '2025-07-20T10:05:00Z', stages: {}, deleted: false, ...overrides,
});
const finished = (id: string, start: string, end: string, state: 'SUCCEEDED' | 'INFEASIBLE' = 'SUCCEEDED'): StagedTrial =>
  ({stage: 'search', trial: {id, state, startTime: start, endTime: end}});

describe('jobFactsOf', () => {
  it('reads times, spec limits and both project names', () => {
    const facts = jobFactsOf(sourceOfRecord(record(), 'nas-prod'), EMPTY_ENFORCE_STATE);

    expect(facts).toMatchObject({
      projects: ['nas-prod', '123456789012'], location: 'us-central1', state: 'JOB_STATE_RUNNING',
      createMs: Date.parse('2025-07-20T10:00:00Z'), startMs: Date.parse('2025-07-20T10:05:00Z'),
      search: {maxTrialCount: 20, maxParallelTrialCount: 4, finished: 0, failed: 0, durations: []}, problems: [],
    });
  });

  it.each<[string, Record<string, unknown>, {field: string; reason: string}]>([
    ['a running job without startTime', {startTime: undefined}, {field: 'job.startTime', reason: 'missing on a running job'}],
    ['a garbage startTime', {startTime: 'yesterday'}, {field: 'job.startTime', reason: 'not an RFC 3339 time: "yesterday"'}],
    ['a garbage createTime', {createTime: '2025-13-45T00:00:00Z'}, {field: 'job.createTime', reason: 'not an RFC 3339 time: "2025-13-45T00:00:00Z"'}],
    ['a name that is not a NasJob name', {name: 'nasJobs/7'}, {field: 'job.name', reason: 'not projects/*/locations/*/nasJobs/*'}],
  ])('names the field of %s', (_, job, problem) => {
    const facts = jobFactsOf(sourceOfRecord(record({job: {...aNasJob(), ...job} as NasJob})), EMPTY_ENFORCE_STATE);

    expect(facts.problems).toEqual([problem]);
  });

  it('takes the last trial read as the last progress when trial events were missed', () => {
    const stages = {search: {states: {}, counts: {total: 3, running: 0, succeeded: 3, infeasible: 0}}};
    const source = sourceOfRecord(record({stages, trialsUpdateTime: '2025-07-20T12:00:00Z'}));
    const oneLogged = mergeFinishedTrials(EMPTY_ENFORCE_STATE, [finished('1', '2025-07-20T10:06:00Z', '2025-07-20T10:30:00Z')]);
    const allLogged = mergeFinishedTrials(oneLogged, [finished('2', '2025-07-20T10:06:00Z', '2025-07-20T10:40:00Z'), finished('3', '2025-07-20T10:06:00Z', '2025-07-20T10:50:00Z')]);

    expect(jobFactsOf(source, oneLogged).lastProgressMs).toBe(Date.parse('2025-07-20T12:00:00Z'));
    expect(jobFactsOf(source, allLogged).lastProgressMs).toBe(Date.parse('2025-07-20T10:50:00Z'));
  });

  it('counts the trials of a fresh get itself', () => {
    const job = aNasJob({nasJobOutput: {multiTrialJobOutput: {searchTrials: [aNasTrial({id: '1'}), aNasTrial({id: '2', state: 'INFEASIBLE'}), aNasTrial({id: '3', state: 'ACTIVE'})], trainTrials: []}}});

    expect(sourceOfFreshJob(job)).toMatchObject({searchCounts: {succeeded: 1, infeasible: 1}, finishedTrials: 2});
  });
});

describe('the trial log', () => {
  it('keeps finished trials once, however often they are reported', () => {
    const trial = finished('7', '2025-07-20T10:00:00Z', '2025-07-20T10:30:00Z');
    const once = mergeFinishedTrials(EMPTY_ENFORCE_STATE, [trial]);

    expect(mergeFinishedTrials(once, [trial])).toBe(once);
    expect(once.trials).toEqual({'search/7': {stage: 'search', endMs: Date.parse('2025-07-20T10:30:00Z'), seconds: 1800, failed: false}});
    expect(once.trialsSeen).toBe(1);
  });

  it('ignores trials that have not finished or cannot be told apart', () => {
    const state = mergeFinishedTrials(EMPTY_ENFORCE_STATE, [
      {stage: 'search', trial: {id: '1', state: 'ACTIVE', startTime: '2025-07-20T10:00:00Z'}},
      {stage: 'search', trial: {id: '', state: 'SUCCEEDED', endTime: '2025-07-20T10:00:00Z'}},
      {stage: 'search', trial: {id: '2', state: 'SUCCEEDED'}},
    ]);

    expect(state).toBe(EMPTY_ENFORCE_STATE);
  });

  it('keeps only the most recent trials, and medians only succeeded search trials', () => {
    const many = Array.from({length: MAX_TRIAL_MARKS + 10}, (_, i) => finished(String(i), '2025-07-20T00:00:00Z', new Date(Date.parse('2025-07-20T01:00:00Z') + i * 1000).toISOString()));
    const state = mergeFinishedTrials(EMPTY_ENFORCE_STATE, [...many, finished('x', '2025-07-20T00:00:00Z', '2025-07-21T00:00:00Z', 'INFEASIBLE')]);

    expect(Object.keys(state.trials)).toHaveLength(MAX_TRIAL_MARKS);
    expect(state.trials['search/0']).toBeUndefined();
    expect(state.trialsSeen).toBe(MAX_TRIAL_MARKS + 11);
    expect(searchDurations(state.trials)).not.toContain(86_400);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('resolveLimit', () => {
  const override = {label: 'nasmon-max-run-hours', maxSeconds: 7 * 86_400, minSeconds: 3600};

  it.each<[string, string | undefined, number, 'policy' | 'label']>([
    ['no label', undefined, 72 * 3600, 'policy'],
    ['hours by default', '48', 48 * 3600, 'label'],
    ['a unit', '90m', 5400, 'label'],
    ['days', '2d', 2 * 86_400, 'label'],
    ['above the maximum', '400', 7 * 86_400, 'label'],
    ['below the minimum', '10m', 3600, 'label'],
    ['not a duration', 'forever', 72 * 3600, 'policy'],
    ['zero', '0', 72 * 3600, 'policy'],
  ])('%s', (_, value, seconds, source) => {
    const labels: Record<string, string> = value === undefined ? {} : {'nasmon-max-run-hours': value};

    expect(resolveLimit(72 * 3600, override, labels)).toMatchObject({seconds, source});
  });
});
