import {describe, expect, it} from 'vitest';
import {buildTrialCurves} from '../../../../shared/core/dashboard/index.js';
import {trial} from './dashboard-kit.js';

const MAX = {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'} as const;
const MIN = {metricId: 'top_1_accuracy', goal: 'MINIMIZE'} as const;

describe('buildTrialCurves', () => {
  it.each<[string, ReturnType<typeof trial>[], typeof MAX | typeof MIN, number[], string[]]>([
    ['MAXIMIZE keeps the highest value', [trial('1', 10, 0.5), trial('2', 20, 0.7), trial('3', 30, 0.6)], MAX, [0.5, 0.7, 0.7], ['1', '2']],
    ['MINIMIZE keeps the lowest value', [trial('1', 10, 2), trial('2', 20, 2.5), trial('3', 30, 1.1)], MIN, [2, 2, 1.1], ['1', '3']],
    ['a tie keeps the earlier best', [trial('1', 10, 0.5), trial('2', 20, 0.5)], MAX, [0.5, 0.5], ['1']],
    ['trials in the order they finished, not by id', [trial('2', 10, 0.6), trial('1', 20, 0.4)], MAX, [0.6, 0.6], ['2']],
    ['running, infeasible and unmeasured trials are no points', [trial('1', 10, 0.5), trial('2', 20, undefined, 'INFEASIBLE'),
      trial('3', 30, undefined), trial('4', 40, 0.9, 'ACTIVE'), trial('5', 50, Number.NaN)], MAX, [0.5], ['1']],
  ])('%s', (_, trials, objective, bests, improvedBy) => {
    const [curve] = buildTrialCurves(trials, objective);

    expect(curve!.points.map(point => point.best)).toEqual(bests);
    expect(curve!.points.filter(point => point.improved).map(point => point.trialId)).toEqual(improvedBy);
  });

  it('scales points to the plot and draws the best line as a staircase', () => {
    const [curve] = buildTrialCurves([trial('1', 10, 1), trial('2', 20, 3), trial('3', 30, 2)], MAX);

    expect(curve!.points.map(point => [point.x, point.y])).toEqual([[0, 0], [0.5, 1], [1, 0.5]]);
    expect(curve!.bestPath).toEqual([[0, 0], [0.5, 0], [0.5, 1], [1, 1]]);
    expect([curve!.min, curve!.max]).toEqual([1, 3]);
  });

  it('puts a single point in the middle', () => {
    const [curve] = buildTrialCurves([trial('1', 10, 0.5)], MAX);

    expect(curve!.points[0]).toMatchObject({x: 0.5, y: 0.5});
  });

  it('counts finished trials without a value, and makes one curve per stage', () => {
    const curves = buildTrialCurves([trial('1', 10, 0.5), trial('2', 20, undefined, 'INFEASIBLE'), trial('1', 40, 0.8, 'SUCCEEDED', 'train')], MAX);

    expect(curves.map(curve => [curve.stage, curve.points.length, curve.unmeasured])).toEqual([['search', 1, 1], ['train', 1, 0]]);
  });

  it('has no curve before a trial finishes', () => {
    expect(buildTrialCurves([trial('1', 10, undefined, 'ACTIVE')], MAX)).toEqual([]);
  });
});
