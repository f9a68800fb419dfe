import {describe, expect, it} from 'vitest';
import {parseNasJob} from '../../../../shared/core/vertex/index.js';
import type {DigestEntry} from '../../../../shared/ports/poll-store.js';
import {activeJobsFilter, planReads} from '../../../../shared/use-cases/poll/plan-reads.js';

const name = (id: number) => `projects/123/locations/us-central1/nasJobs/${id}`;
const listed = (id: number, state: string, updateTime = '2026-11-02T10:00:00Z') =>
  parseNasJob({name: name(id), displayName: `job-${id}`, state, updateTime});
const entry = (id: number, state: string, more: Partial<DigestEntry> = {}): [string, DigestEntry] =>
  [name(id), {name: name(id), state, sequence: 1, updateTime: '2026-11-02T10:00:00Z', ...more}];

describe('activeJobsFilter', () => {
  it('lists non-terminal jobs or recent creations, with OR outside the AND group', () => {
    expect(activeJobsFilter('2026-11-02T10:00:00.000Z')).toBe(
      '(state!="JOB_STATE_SUCCEEDED" AND state!="JOB_STATE_FAILED" AND state!="JOB_STATE_CANCELLED" AND ' +
      'state!="JOB_STATE_PAUSED" AND state!="JOB_STATE_EXPIRED" AND state!="JOB_STATE_PARTIALLY_SUCCEEDED") ' +
      'OR create_time>="2026-11-02T10:00:00.000Z"');
  });
});

describe('planReads', () => {
  it('records nothing and reads nothing in a quiet cycle', () => {
    const plan = planReads({
      listed: [listed(1, 'JOB_STATE_PENDING')], unreadable: new Set(), maxReads: 10,
      digest: {jobs: new Map([entry(1, 'JOB_STATE_PENDING')])},
    });
    expect(plan).toEqual({reads: [], deferred: 0, sweepComplete: true});
  });

  it('reads active jobs that left the list before trial refreshes, and defers what is over the cap', () => {
    const plan = planReads({
      listed: [listed(3, 'JOB_STATE_RUNNING', '2026-11-02T10:05:00Z'), listed(4, 'JOB_STATE_RUNNING', '2026-11-02T10:05:00Z')],
      unreadable: new Set(), maxReads: 2,
      digest: {jobs: new Map([
        entry(1, 'JOB_STATE_RUNNING'), entry(2, 'JOB_STATE_SUCCEEDED'),
        entry(3, 'JOB_STATE_RUNNING', {trialsReadAt: '2026-11-02T09:00:00Z'}), entry(4, 'JOB_STATE_RUNNING', {trialsReadAt: '2026-11-02T08:00:00Z'}),
      ])},
    });
    expect(plan.reads).toEqual([{name: name(1), reason: 'left-active-set'}, {name: name(4), reason: 'trials-due'}]);
    expect(plan.deferred).toBe(1);
  });

  it.each([
    ['tracked while running', entry(1, 'JOB_STATE_RUNNING', {trialsUpdateTime: '2026-11-02T09:00:00Z'}), true],
    ['tracked while pending', entry(1, 'JOB_STATE_PENDING'), true],
    ['recorded finished from a listing, trials read before', entry(1, 'JOB_STATE_SUCCEEDED', {trialsUpdateTime: '2026-11-02T09:00:00Z'}), true],
    ['finished with its final trials read', entry(1, 'JOB_STATE_SUCCEEDED', {trialsUpdateTime: '2026-11-02T10:00:00Z'}), false],
    ['finished, trials never read', entry(1, 'JOB_STATE_FAILED'), false],
    ['seen for the first time already finished', undefined, false],
  ] as const)('reads a listed finished job (a sweep, the create window) when it was %s: %s', (_, known, read) => {
    const plan = planReads({
      listed: [listed(1, 'JOB_STATE_SUCCEEDED')], unreadable: new Set(), maxReads: 10,
      digest: {jobs: new Map(known ? [known] : [])},
    });
    expect(plan.reads).toEqual(read ? [{name: name(1), reason: 'finished-listed'}] : []);
  });

  it('does not read a job whose list entry was unreadable (it is not gone)', () => {
    const plan = planReads({
      listed: [], unreadable: new Set([name(1)]), maxReads: 10, digest: {jobs: new Map([entry(1, 'JOB_STATE_RUNNING')])},
    });
    expect(plan.reads).toEqual([]);
  });

  it('reads running jobs whose trials are older than their updateTime, never-read ones first', () => {
    const plan = planReads({
      listed: [listed(1, 'JOB_STATE_RUNNING'), listed(2, 'JOB_STATE_RUNNING'), listed(3, 'JOB_STATE_PENDING')],
      unreadable: new Set(), maxReads: 10,
      digest: {jobs: new Map([
        entry(1, 'JOB_STATE_RUNNING', {trialsUpdateTime: '2026-11-02T10:00:00Z', trialsReadAt: '2026-11-02T10:00:01Z'}),
        entry(2, 'JOB_STATE_RUNNING'), entry(3, 'JOB_STATE_PENDING'),
      ])},
    });
    expect(plan.reads).toEqual([{name: name(2), reason: 'trials-due'}]);
  });

  it('on a sweep, reads recorded jobs that no listing returned', () => {
    const plan = planReads({
      listed: [listed(1, 'JOB_STATE_SUCCEEDED')], unreadable: new Set(), maxReads: 10,
      digest: {jobs: new Map([entry(1, 'JOB_STATE_SUCCEEDED')])}, recorded: [name(1), name(9)],
    });
    expect(plan.reads).toEqual([{name: name(9), reason: 'sweep-missing'}]);
    expect(plan.sweepComplete).toBe(true);
  });

  it('leaves a sweep incomplete while its missing jobs are over the cap, but not for other deferred reads', () => {
    const digest = {jobs: new Map([entry(1, 'JOB_STATE_RUNNING'), entry(2, 'JOB_STATE_RUNNING')])};
    const over = planReads({listed: [], unreadable: new Set(), maxReads: 3, digest, recorded: [name(1), name(2), name(7), name(8), name(9)]});
    expect(over.reads.map(read => read.reason)).toEqual(['left-active-set', 'left-active-set', 'sweep-missing']);
    expect(over).toMatchObject({deferred: 2, sweepComplete: false});
    const trialsOver = planReads({
      listed: [listed(1, 'JOB_STATE_RUNNING', '2026-11-02T11:00:00Z'), listed(2, 'JOB_STATE_RUNNING', '2026-11-02T11:00:00Z')],
      unreadable: new Set(), maxReads: 1, digest, recorded: [name(1), name(2)],
    });
    expect(trialsOver).toMatchObject({deferred: 1, sweepComplete: true});
  });
});
