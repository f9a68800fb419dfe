import {describe, expect, it} from 'vitest';
import {buildTimeline} from '../../../../shared/core/dashboard/index.js';
import {entered, NOW, START} from './dashboard-kit.js';

const lanesOf = (timeline: ReturnType<typeof buildTimeline>) =>
  timeline?.lanes.map(lane => `${lane.state}:${lane.bars.map(bar => `${bar.x0.toFixed(2)}-${bar.x1.toFixed(2)}${bar.skipped ? '!' : ''}`).join(',')}`);

describe('buildTimeline', () => {
  it.each<[string, Parameters<typeof entered>[], string[], boolean]>([
    // 180 minutes from START to NOW.
    ['a job still pending: its bar runs to now', [[1, 'PENDING', 0]], ['PENDING:0.00-1.00'], false],
    ['pending, then running', [[1, 'PENDING', 0], [2, 'RUNNING', 45]], ['PENDING:0.00-0.25', 'RUNNING:0.25-1.00'], false],
    ['a finished job: the axis ends at its end, the final state is a marker', [[1, 'PENDING', 0], [2, 'RUNNING', 30], [3, 'SUCCEEDED', 120]],
      ['PENDING:0.00-0.25', 'RUNNING:0.25-1.00', 'SUCCEEDED:1.00-1.00'], true],
    ['a state entered twice: two bars in one lane', [[1, 'RUNNING', 0], [2, 'UPDATING', 60], [3, 'RUNNING', 90]],
      ['RUNNING:0.00-0.33,0.50-1.00', 'UPDATING:0.33-0.50'], false],
    ['a skipped transition is marked', [[1, 'PENDING', 0], [2, 'FAILED', 90, true]], ['PENDING:0.00-1.00', 'FAILED:1.00-1.00!'], true],
    ['a deletion ends the axis', [[1, 'SUCCEEDED', 0], [2, 'DELETED', 60]], ['SUCCEEDED:0.00-0.00', 'DELETED:1.00-1.00'], true],
    ['entries out of order are sorted by sequence', [[2, 'RUNNING', 90], [1, 'PENDING', 0]], ['PENDING:0.00-0.50', 'RUNNING:0.50-1.00'], false],
    ['a clock skew never draws a bar backwards', [[1, 'PENDING', 60], [2, 'RUNNING', 30]], ['PENDING:0.00-0.00', 'RUNNING:0.00-1.00'], false],
  ])('draws %s', (_, entries, lanes, ended) => {
    const timeline = buildTimeline(entries.map(args => entered(...args)), NOW);

    expect(lanesOf(timeline)).toEqual(lanes);
    expect(timeline?.ended).toBe(ended);
  });

  it('gives times and durations for the tooltips', () => {
    const timeline = buildTimeline([entered(1, 'PENDING', 0), entered(2, 'RUNNING', 45)], NOW)!;

    expect(timeline.startTime).toBe(new Date(START).toISOString());
    expect(timeline.lanes[0]!.bars[0]).toMatchObject({seconds: 2700, endTime: new Date(START + 45 * 60_000).toISOString()});
    expect(timeline.lanes[1]!.bars[0]!.endTime).toBeUndefined(); // still running
  });

  it.each([
    ['no history', []],
    ['only unreadable times', [{...entered(1, 'PENDING', 0), enteredTime: 'yesterday'}]],
  ])('has no timeline for %s', (_, history) => {
    expect(buildTimeline(history, NOW)).toBeUndefined();
  });
});
