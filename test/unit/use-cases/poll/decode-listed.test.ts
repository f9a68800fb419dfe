import {describe, expect, it} from 'vitest';
import {decodeNasJobHead, type NasJobHead} from '../../../../shared/core/vertex/index.js';
import type {DigestEntry, RecordedJob} from '../../../../shared/ports/poll-store.js';
import {changedHeadsKeeper, decodeListed} from '../../../../shared/use-cases/poll/decode-listed.js';

const name = (id: number) => `projects/123/locations/us-central1/nasJobs/${id}`;
const item = (id: number, state: string, more: Record<string, unknown> = {}) =>
  ({name: name(id), displayName: `job-${id}`, state, updateTime: '2026-11-02T10:00:00Z', ...more});
const entry = (id: number, state: string, more: Partial<DigestEntry> = {}): [string, DigestEntry] =>
  [name(id), {name: name(id), state, sequence: 1, updateTime: '2026-11-02T10:00:00Z', ...more}];

/** Heads as the client's listing makes them: decoded, then trimmed by the keeper. */
function listHeads(items: readonly object[], digest: {jobs: ReadonlyMap<string, RecordedJob>}, maxNewJobs = 100): NasJobHead[] {
  const keep = changedHeadsKeeper(digest.jobs, maxNewJobs);
  return items.map((json, index) => {
    const head = decodeNasJobHead(json, `$.nasJobs[${index}]`);
    if (keep(head)) return head;
    const {source: _dropped, ...trimmed} = head;
    return trimmed;
  });
}

describe('decodeListed', () => {
  it('decodes only new jobs, state changes and updateTime changes; unchanged heads keep no JSON', () => {
    const digest = {jobs: new Map([entry(2, 'JOB_STATE_QUEUED'), entry(3, 'JOB_STATE_PENDING'), entry(4, 'JOB_STATE_PENDING')])};
    const heads = listHeads([
      item(1, 'JOB_STATE_PENDING'), item(2, 'JOB_STATE_PENDING'),
      item(3, 'JOB_STATE_PENDING', {updateTime: '2026-11-02T10:05:00Z'}), item(4, 'JOB_STATE_PENDING'),
    ], digest);
    expect(heads.map(head => head.source !== undefined)).toEqual([true, true, true, false]);
    const decoded = decodeListed(heads, digest.jobs);
    expect(decoded.changed.map(job => [job.name, job.displayName])).toEqual([[name(1), 'job-1'], [name(2), 'job-2'], [name(3), 'job-3']]);
    expect(decoded.listed.map(head => head.name)).toEqual([name(1), name(2), name(3), name(4)]);
    expect(decoded.listed.every(head => head.source === undefined)).toBe(true);
    expect(decoded).toMatchObject({garbage: [], deferredNew: 0});
  });

  it('sets aside a changed job whose other fields are garbage, naming the path', () => {
    const digest = {jobs: new Map([entry(1, 'JOB_STATE_PENDING')])};
    const heads = listHeads([item(1, 'JOB_STATE_RUNNING', {labels: {team: 7}}), item(2, 'JOB_STATE_PENDING')], digest);
    const decoded = decodeListed(heads, digest.jobs);
    expect(decoded.changed.map(job => job.name)).toEqual([name(2)]);
    expect(decoded.listed.map(head => head.name)).toEqual([name(2)]);
    expect(decoded.garbage).toHaveLength(1);
    expect(decoded.garbage[0]).toMatchObject({name: name(1)});
    expect(decoded.garbage[0]!.error.path).toBe('$.nasJobs[0].labels.team');
  });

  it('ignores garbage in the fields of a job that did not change (nothing of it is recorded)', () => {
    const digest = {jobs: new Map([entry(1, 'JOB_STATE_PENDING')])};
    const decoded = decodeListed(listHeads([item(1, 'JOB_STATE_PENDING', {labels: 'oops'})], digest), digest.jobs);
    expect(decoded).toMatchObject({changed: [], garbage: [], deferredNew: 0});
    expect(decoded.listed.map(head => head.name)).toEqual([name(1)]);
  });

  it('records at most the cap of first sightings and defers the rest; known jobs are never capped', () => {
    const digest = {jobs: new Map([entry(9, 'JOB_STATE_PENDING')])};
    const items = [item(1, 'JOB_STATE_PENDING'), item(2, 'JOB_STATE_PENDING'), item(9, 'JOB_STATE_RUNNING'), item(3, 'JOB_STATE_PENDING')];
    const decoded = decodeListed(listHeads(items, digest, 2), digest.jobs);
    expect(decoded.changed.map(job => job.name)).toEqual([name(1), name(2), name(9)]);
    expect(decoded.deferredNew).toBe(1);
    expect(decoded.listed.map(head => head.name)).toEqual([name(1), name(2), name(9)]);
  });

  it('takes a finished job the digest dropped as known when the mirror recorded it as listed, and as changed otherwise', () => {
    // What a sweep compares with: an empty digest, and the finished jobs the mirror recorded.
    const known = {jobs: new Map<string, RecordedJob>([
      [name(1), {name: name(1), state: 'JOB_STATE_SUCCEEDED', updateTime: '2026-11-02T10:00:00Z'}],
      [name(2), {name: name(2), state: 'JOB_STATE_SUCCEEDED', updateTime: '2026-11-02T09:00:00Z'}],
    ])};
    const items = [item(1, 'JOB_STATE_SUCCEEDED'), item(2, 'JOB_STATE_SUCCEEDED'), item(3, 'JOB_STATE_SUCCEEDED')];
    // A cap of 1 first sighting: job 2 is known (it changed), so only job 3 counts against it.
    const heads = listHeads(items, known, 1);
    expect(heads.map(head => head.source !== undefined)).toEqual([false, true, true]);
    const decoded = decodeListed(heads, known.jobs);
    expect(decoded.changed.map(job => job.name)).toEqual([name(2), name(3)]);
    expect(decoded.listed.map(head => head.name)).toEqual([name(1), name(2), name(3)]);
    expect(decoded.deferredNew).toBe(0);
  });

  it('counts a job listed twice (it moved between pages) once against the cap', () => {
    const keep = changedHeadsKeeper(new Map(), 1);
    const head = decodeNasJobHead(item(1, 'JOB_STATE_PENDING'), '$');
    expect([keep(head), keep(head), keep(decodeNasJobHead(item(2, 'JOB_STATE_PENDING'), '$'))]).toEqual([true, true, false]);
  });
});
