// The poller's entry points fed what Pub/Sub may really deliver: malformed envelopes, data that is
// not a poll-targets message, stale ticks. Such input must be acknowledged (so it is not redelivered
// forever) with an error line naming the field, and must take no lease and write nothing.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {pollNasJobsEntry} from '../../functions/poll-nas-jobs.js';
import {pollTargetEntry} from '../../functions/poll-target.js';
import type {TargetMessage} from '../../shared/core/messages/target-message.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {b64, NOTHING_WRITTEN, pollerDocs, pubsubEvent, targetData, testDeps} from './poller-functions.support.js';
import {startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
describeWithEmulators('pollTarget and pollNasJobs called with what Pub/Sub delivers', () => {
  let f: PollerFixture;
  const queued: TargetMessage[] = [];
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.sim.seed(3);
  });
  beforeEach(() => {
    f.lines.length = 0;
  });
  afterAll(async () => f?.close());

  it.each<[string, string, unknown]>([
    ['an empty body', 'message', {}],
    ['no data at all', 'message', undefined],
    ['a message that is not an object', 'message', {message: 'hello'}],
    ['attributes that are not strings', 'message.attributes', {message: {data: b64('{}'), attributes: {n: 1}}}],
    ['data that is not base64', 'message.data', {message: {data: '%%% not base64 %%%'}}],
    ['data that is not JSON', 'message.data', {message: {data: b64('project=a')}}],
    ['JSON that is not an object', 'data', {message: {data: b64('[1,2]')}}],
    ['no project', 'data.project', targetData({location: TARGET.location, tickTime: new Date().toISOString()})],
    ['no tickTime', 'data.tickTime', targetData({...TARGET})],
    ['a tickTime that is no time', 'data.tickTime', targetData({...TARGET, tickTime: 'yesterday'})],
    ['a target nobody configured', 'data', targetData({project: 'other-project', location: 'europe-west4', tickTime: new Date().toISOString()})],
  ])('acknowledges a poll-targets delivery with %s, logging the field "%s", and touches nothing', async (_, field, data) => {
    const event = pubsubEvent(projectId, `bad-${field}`, data);
    await expect(pollTargetEntry(() => testDeps(f, projectId, queued))(event)).resolves.toBeUndefined();
    expect(f.logged('dropping a malformed message')).toEqual([
      expect.objectContaining({severity: 'ERROR', fn: 'pollTarget', eventId: event.id, field}),
    ]);
    expect(await pollerDocs(f)).toEqual(NOTHING_WRITTEN);
    expect((await f.sim.stats()).total).toBe(0);
  });

  it('acknowledges a stale poll-targets message with a warning naming its tickTime, and polls nothing', async () => {
    const tickTime = new Date(Date.now() - 5 * 60_000).toISOString();
    await expect(pollTargetEntry(() => testDeps(f, projectId, queued))(pubsubEvent(projectId, 'stale', targetData({...TARGET, tickTime})))).resolves.toBeUndefined();
    expect(f.logged('stale')).toEqual([expect.objectContaining({severity: 'WARNING', tickTime, target: `${TARGET.project}/${TARGET.location}`})]);
    expect(await pollerDocs(f)).toEqual(NOTHING_WRITTEN);
    expect((await f.sim.stats()).total).toBe(0);
  });

  it('hands back the lease of the dead session a stale message started, when that message comes again', async () => {
    const tickTime = new Date(Date.now() - 5 * 60_000).toISOString();
    expect(await f.store.acquireLease(TARGET, 'killed-instance', 120_000, 'stale-again')).toBe(true);
    await pollTargetEntry(() => testDeps(f, projectId, queued))(pubsubEvent(projectId, 'stale-again', targetData({...TARGET, tickTime})));
    expect(f.logged('stale')).toEqual([expect.objectContaining({severity: 'WARNING', tickTime, leaseReleased: true})]);
    expect(await f.store.leaseExpiry(TARGET)).toBeUndefined();
    expect((await f.sim.stats()).total).toBe(0);
  });

  it('fans a tick out whatever its payload, stamping it with the event time or, if that is unusable, now', async () => {
    const entry = pollNasJobsEntry(() => testDeps(f, projectId, queued));
    await expect(entry(pubsubEvent(projectId, 'tick-1', {message: {data: '%%%'}}, '2026-11-27T06:00:00Z'))).resolves.toBeUndefined();
    const before = Date.now();
    await expect(entry(pubsubEvent(projectId, 'tick-2', undefined, 'not a time'))).resolves.toBeUndefined();
    expect(queued).toEqual([
      {...TARGET, tickTime: '2026-11-27T06:00:00.000Z'},
      {...TARGET, tickTime: expect.any(String)},
    ]);
    expect(Date.parse(queued[1]!.tickTime)).toBeGreaterThanOrEqual(before - 1);
    expect(await pollerDocs(f)).toEqual(NOTHING_WRITTEN);
  });

  it('lets a failing fan-out be retried: the entry rejects, so Pub/Sub redelivers the tick', async () => {
    const deps = {...testDeps(f, projectId, queued), targetQueue: {enqueue: async () => Promise.reject(new Error('topic unreachable'))}};
    await expect(pollNasJobsEntry(() => deps)(pubsubEvent(projectId, 'tick-3', {}))).rejects.toThrow('topic unreachable');
    expect(f.logged('invocation failed')).toEqual([expect.objectContaining({severity: 'ERROR', fn: 'pollNasJobs'})]);
  });

  it('polls for a well-formed, fresh message: takes the lease, records, publishes and releases the lease', async () => {
    const event = pubsubEvent(projectId, 'good', targetData({...TARGET, tickTime: new Date().toISOString()}));
    await expect(pollTargetEntry(() => testDeps(f, projectId, queued))(event)).resolves.toBeUndefined();
    expect(await pollerDocs(f)).toMatchObject({nasJobs: 3, nasmonOutbox: 0, nasmonTargets: 1, nasmonLeases: 0});
    expect(f.logged('poll cycle')).toEqual([expect.objectContaining({observations: 3, published: 3, eventId: 'good'})]);
    expect((await f.waitForEvents(3)).length).toBe(3);
  });
});
