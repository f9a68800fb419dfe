import {describe, expect, it} from 'vitest';
import {applyObservation} from '../../../../shared/core/poll/apply-observation.js';
import {diffJob} from '../../../../shared/core/poll/diff-job.js';
import {at, snapshot} from './histories.js';

// A job gone from Vertex: the deletion continues its sequence, and since Vertex deletes only finished
// jobs, one last seen active must have ended unseen, which the entry and the event both say.
describe('applyObservation of a job that is gone', () => {
  it.each([
    ['last seen SUCCEEDED: a plain deletion', snapshot('JOB_STATE_SUCCEEDED', 9, {started: 2, ended: 9}), false],
    ['last seen CANCELLED: a plain deletion', snapshot('JOB_STATE_CANCELLED', 9, {started: 2, ended: 9}), false],
    ['last seen RUNNING: it ended unseen before it was deleted', snapshot('JOB_STATE_RUNNING', 3, {started: 2}), true],
    ['last seen PENDING: it ended unseen before it was deleted', snapshot('JOB_STATE_PENDING', 1), true],
  ])('%s', (_, last, skipped) => {
    const previous = diffJob(undefined, last, at(10)).record;
    const recording = applyObservation(previous, {kind: 'gone', name: previous.name}, at(12));
    expect(recording.history).toMatchObject({state: 'DELETED', previousState: last.state, sequence: previous.sequence + 1, skipped});
    expect(recording.events).toHaveLength(1);
    expect(recording.events[0]!.data).toMatchObject({lastState: last.state, sequence: previous.sequence + 1, skipped});
  });

  it('reports nothing for a job never recorded or already reported deleted', () => {
    const previous = diffJob(undefined, snapshot('JOB_STATE_SUCCEEDED', 9, {ended: 9}), at(10)).record;
    const deleted = applyObservation(previous, {kind: 'gone', name: previous.name}, at(12)).record!;
    expect(applyObservation(undefined, {kind: 'gone', name: previous.name}, at(12)).events).toEqual([]);
    expect(applyObservation(deleted, {kind: 'gone', name: previous.name}, at(13)).events).toEqual([]);
  });
});
