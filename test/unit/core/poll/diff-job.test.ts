import {describe, expect, it} from 'vitest';
import {diffJob, markDeleted, type JobDiff} from '../../../../shared/core/poll/diff-job.js';
import type {JobRecord} from '../../../../shared/core/poll/job-record.js';
import type {NasJob} from '../../../../shared/core/vertex/index.js';
import {at, snapshot} from './histories.js';

/** Feeds snapshots one by one through diffJob, as successive polls would. */
function replay(observations: Array<[NasJob, number]>): JobDiff[] {
  let record: JobRecord | undefined;
  return observations.map(([job, minute]) => {
    const diff = diffJob(record, job, at(minute));
    record = diff.record;
    return diff;
  });
}

const states = (diffs: JobDiff[]) =>
  diffs.filter(diff => diff.stateChange).map(diff => {
    const change = diff.stateChange!;
    return [change.previousState, change.state, change.sequence, change.skipped] as const;
  });

describe('diffJob state changes', () => {
  it.each<[string, Array<[NasJob, number]>, Array<readonly [string | null, string, number, boolean]>]>([
    ['a search that runs and succeeds, every state seen', [
      [snapshot('JOB_STATE_QUEUED', 0), 0], [snapshot('JOB_STATE_PENDING', 1), 1],
      [snapshot('JOB_STATE_RUNNING', 3, {started: 2}), 3], [snapshot('JOB_STATE_SUCCEEDED', 9, {started: 2, ended: 9}), 9],
    ], [[null, 'JOB_STATE_QUEUED', 1, false], ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 2, false],
      ['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 3, false], ['JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED', 4, false]]],
    ['a capacity failure before running (PENDING straight to FAILED is one real step)', [
      [snapshot('JOB_STATE_PENDING', 0), 0],
      [snapshot('JOB_STATE_FAILED', 5, {ended: 5, error: {code: 8, message: 'Resources are insufficient in region: us-central1'}}), 5],
    ], [[null, 'JOB_STATE_PENDING', 1, false], ['JOB_STATE_PENDING', 'JOB_STATE_FAILED', 2, false]]],
    ['a job that ran and failed between two polls (PENDING → FAILED, but it had started)', [
      [snapshot('JOB_STATE_PENDING', 0), 0], [snapshot('JOB_STATE_FAILED', 8, {started: 1, ended: 8}), 8],
    ], [[null, 'JOB_STATE_PENDING', 1, false], ['JOB_STATE_PENDING', 'JOB_STATE_FAILED', 2, true]]],
    ['a job whose whole run happened between two polls', [
      [snapshot('JOB_STATE_PENDING', 0), 0], [snapshot('JOB_STATE_SUCCEEDED', 8, {started: 1, ended: 8}), 8],
    ], [[null, 'JOB_STATE_PENDING', 1, false], ['JOB_STATE_PENDING', 'JOB_STATE_SUCCEEDED', 2, true]]],
    ['a cancel that is confirmed', [
      [snapshot('JOB_STATE_RUNNING', 2, {started: 2}), 2], [snapshot('JOB_STATE_CANCELLING', 4, {started: 2}), 4],
      [snapshot('JOB_STATE_CANCELLED', 5, {started: 2, ended: 5, error: {code: 1, message: 'CANCELED'}}), 5],
    ], [[null, 'JOB_STATE_RUNNING', 1, true], ['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 2, false],
      ['JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED', 3, false]]],
    ['a cancel that loses the race to success', [
      [snapshot('JOB_STATE_CANCELLING', 4, {started: 2}), 4], [snapshot('JOB_STATE_SUCCEEDED', 5, {started: 2, ended: 5}), 5],
    ], [[null, 'JOB_STATE_CANCELLING', 1, true], ['JOB_STATE_CANCELLING', 'JOB_STATE_SUCCEEDED', 2, false]]],
    ['a cancel whose CANCELLING was never observed', [
      [snapshot('JOB_STATE_RUNNING', 2, {started: 2}), 2], [snapshot('JOB_STATE_CANCELLED', 6, {started: 2, ended: 6}), 6],
    ], [[null, 'JOB_STATE_RUNNING', 1, true], ['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLED', 2, true]]],
    ['an update round trip', [
      [snapshot('JOB_STATE_RUNNING', 2, {started: 2}), 2], [snapshot('JOB_STATE_UPDATING', 3, {started: 2}), 3],
      [snapshot('JOB_STATE_RUNNING', 4, {started: 2}), 4],
    ], [[null, 'JOB_STATE_RUNNING', 1, true], ['JOB_STATE_RUNNING', 'JOB_STATE_UPDATING', 2, false],
      ['JOB_STATE_UPDATING', 'JOB_STATE_RUNNING', 3, false]]],
    ['pause, expiry and partial success from RUNNING', [
      [snapshot('JOB_STATE_RUNNING', 2, {started: 2}), 2], [snapshot('JOB_STATE_PAUSED', 3, {started: 2}), 3],
      [snapshot('JOB_STATE_RUNNING', 4, {started: 2}), 4], [snapshot('JOB_STATE_EXPIRED', 5, {started: 2}), 5],
    ], [[null, 'JOB_STATE_RUNNING', 1, true], ['JOB_STATE_RUNNING', 'JOB_STATE_PAUSED', 2, false],
      ['JOB_STATE_PAUSED', 'JOB_STATE_RUNNING', 3, false], ['JOB_STATE_RUNNING', 'JOB_STATE_EXPIRED', 4, false]]],
    ['a partially successful job', [
      [snapshot('JOB_STATE_RUNNING', 2, {started: 2}), 2], [snapshot('JOB_STATE_PARTIALLY_SUCCEEDED', 7, {started: 2, ended: 7}), 7],
    ], [[null, 'JOB_STATE_RUNNING', 1, true], ['JOB_STATE_RUNNING', 'JOB_STATE_PARTIALLY_SUCCEEDED', 2, false]]],
    ['an unspecified state and an enum number this client does not know', [
      [snapshot('JOB_STATE_UNSPECIFIED', 0), 0], [snapshot(42 as unknown as string, 1), 1],
    ], [[null, 'JOB_STATE_UNSPECIFIED', 1, true], ['JOB_STATE_UNSPECIFIED', '42', 2, true]]],
    ['repeated identical polls', [
      [snapshot('JOB_STATE_PENDING', 0), 0], [snapshot('JOB_STATE_PENDING', 0), 1], [snapshot('JOB_STATE_PENDING', 0), 2],
    ], [[null, 'JOB_STATE_PENDING', 1, false]]],
  ])('records %s', (_, observations, expected) => {
    expect(states(replay(observations))).toEqual(expected);
  });

  it('measures dwell from Vertex timestamps, not from when polls happened', () => {
    const diffs = replay([
      [snapshot('JOB_STATE_PENDING', 0), 1], // first seen a minute after creation
      [snapshot('JOB_STATE_RUNNING', 3, {started: 3}), 4],
      [snapshot('JOB_STATE_FAILED', 9, {started: 3, ended: 9}), 10],
    ]);
    expect(diffs.map(diff => diff.stateChange?.dwellSeconds)).toEqual([null, 180, 360]);
    expect(diffs[2]!.record.stateSince).toBe(at(9));
  });

  it('never lets a clock skew put an entered time after the observation', () => {
    const [first] = replay([[snapshot('JOB_STATE_RUNNING', 10, {started: 10}), 5]]);
    expect(first!.stateChange!.enteredTime).toBe(at(5));
  });

  it('keeps counting after a deletion, so a job seen again never reuses an event sequence', () => {
    const [first] = replay([[snapshot('JOB_STATE_SUCCEEDED', 9, {started: 1, ended: 9}), 9]]);
    const deleted = markDeleted(first!.record, at(10));
    expect(deleted.sequence).toBe(2);
    const again = diffJob(deleted, snapshot('JOB_STATE_SUCCEEDED', 9, {started: 1, ended: 9}), at(11));
    expect(again.stateChange).toMatchObject({previousState: null, sequence: 3});
  });

  it('stores the snapshot without nasJobOutput', () => {
    const [diff] = replay([[snapshot('JOB_STATE_RUNNING', 3, {started: 2, trials: [['1', 'ACTIVE']]}), 3]]);
    expect(diff!.record.job).not.toHaveProperty('nasJobOutput');
    expect(diff!.record.trialsUpdateTime).toBe(at(3));
  });
});
