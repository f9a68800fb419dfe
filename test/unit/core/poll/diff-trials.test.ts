import {describe, expect, it} from 'vitest';
import {diffJob} from '../../../../shared/core/poll/diff-job.js';
import {at, snapshot} from './histories.js';

const running = (minute: number, trials: Array<[string, string, number?]>, options: {goal?: string; trainTrials?: Array<[string, string, number?]>} = {}) =>
  snapshot('JOB_STATE_RUNNING', minute, {started: 1, trials, ...options});

describe('diffJob trial changes', () => {
  it('reports trials that appear and trials that change state, with counts against the limits', () => {
    const first = diffJob(undefined, running(2, [['1', 'REQUESTED'], ['2', 'ACTIVE']]), at(2));
    expect(first.trialChanges.map(c => [c.trial.id, c.previousState, c.trial.state])).toEqual([
      ['1', null, 'REQUESTED'], ['2', null, 'ACTIVE'],
    ]);
    const second = diffJob(first.record, running(3, [['1', 'ACTIVE'], ['2', 'SUCCEEDED', 0.71], ['3', 'INFEASIBLE']]), at(3));
    expect(second.trialChanges.map(c => [c.trial.id, c.previousState, c.trial.state])).toEqual([
      ['1', 'REQUESTED', 'ACTIVE'], ['2', 'ACTIVE', 'SUCCEEDED'], ['3', null, 'INFEASIBLE'],
    ]);
    expect(second.trialChanges[0]!.counts).toEqual({total: 3, running: 1, succeeded: 1, infeasible: 1, max: 20, maxFailed: 3});
  });

  it.each([
    ['REQUESTED'], ['ACTIVE'], ['STOPPING'], ['SUCCEEDED'], ['INFEASIBLE'], ['STATE_UNSPECIFIED'],
  ])('tracks a trial entering %s', state => {
    const before = diffJob(undefined, running(2, [['7', 'REQUESTED']]), at(2));
    const after = diffJob(before.record, running(3, [['7', state]]), at(3));
    expect(after.trialChanges.length).toBe(state === 'REQUESTED' ? 0 : 1);
  });

  it('reports nothing when a poll shows the same trials again', () => {
    const first = diffJob(undefined, running(2, [['1', 'ACTIVE']]), at(2));
    expect(diffJob(first.record, running(2, [['1', 'ACTIVE']]), at(3)).trialChanges).toEqual([]);
  });

  it('leaves trials as recorded when the snapshot comes from list (no nasJobOutput)', () => {
    const first = diffJob(undefined, running(2, [['1', 'ACTIVE']]), at(2));
    const fromList = diffJob(first.record, snapshot('JOB_STATE_RUNNING', 4, {started: 1}), at(4));
    expect(fromList.trialChanges).toEqual([]);
    expect(fromList.record.stages.search?.states).toEqual({'1': 'ACTIVE'});
    expect(fromList.record.trialsUpdateTime).toBe(at(2));
  });

  it('tracks train trials as their own stage', () => {
    const diff = diffJob(undefined, running(2, [['1', 'SUCCEEDED', 0.5]], {trainTrials: [['1', 'ACTIVE']]}), at(2));
    expect(diff.trialChanges.map(c => c.stage)).toEqual(['search', 'train']);
    expect(diff.trialChanges[1]!.counts.max).toBe(2);
  });
});

describe('diffJob best-metric improvements', () => {
  it.each<[string, string, Array<Array<[string, string, number?]>>, Array<[number, number | null, string]>]>([
    ['MAXIMIZE keeps the highest value', 'MAXIMIZE',
      [[['1', 'SUCCEEDED', 0.6]], [['1', 'SUCCEEDED', 0.6], ['2', 'SUCCEEDED', 0.55]], [['1', 'SUCCEEDED', 0.6], ['2', 'SUCCEEDED', 0.55], ['3', 'SUCCEEDED', 0.7]]],
      [[0.6, null, '1'], [0.7, 0.6, '3']]],
    ['MINIMIZE keeps the lowest value', 'MINIMIZE',
      [[['1', 'SUCCEEDED', 0.6]], [['1', 'SUCCEEDED', 0.6], ['2', 'SUCCEEDED', 0.4]], [['1', 'SUCCEEDED', 0.6], ['2', 'SUCCEEDED', 0.4], ['3', 'SUCCEEDED', 0.5]]],
      [[0.6, null, '1'], [0.4, 0.6, '2']]],
    ['UNSPECIFIED means maximize', 'GOAL_TYPE_UNSPECIFIED',
      [[['1', 'SUCCEEDED', 0.2]], [['1', 'SUCCEEDED', 0.2], ['2', 'SUCCEEDED', 0.3]]],
      [[0.2, null, '1'], [0.3, 0.2, '2']]],
    ['a tie is not an improvement', 'MAXIMIZE',
      [[['1', 'SUCCEEDED', 0.5]], [['1', 'SUCCEEDED', 0.5], ['2', 'SUCCEEDED', 0.5]]],
      [[0.5, null, '1']]],
    ['unfinished and infeasible trials never count', 'MAXIMIZE',
      [[['1', 'ACTIVE'], ['2', 'INFEASIBLE']], [['1', 'SUCCEEDED', 0.1], ['2', 'INFEASIBLE']]],
      [[0.1, null, '1']]],
  ])('%s', (_, goal, polls, expected) => {
    let record;
    const seen: Array<[number, number | null, string]> = [];
    for (const [i, trials] of polls.entries()) {
      const diff = diffJob(record, running(2 + i, trials, {goal}), at(2 + i));
      record = diff.record;
      for (const improvement of diff.improvements) seen.push([improvement.value, improvement.previousBest, improvement.trialId]);
    }
    expect(seen).toEqual(expected);
  });
});
