// A crash between the Firestore commit and the publish, in three places: the publish itself fails,
// the process dies right after the commit, and the process dies after publishing but before the
// outbox is cleared. No event may be lost, a re-publish must carry the same ce-id, and no transition
// may be recorded twice.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {readOutboxBatch} from '../../shared/adapters/firestore/outbox-doc.js';
import type {OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {EventPublishError, type EventPublisher} from '../../shared/ports/event-publisher.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);

/** The ids of every event waiting in the outbox. */
async function outboxIds(f: PollerFixture): Promise<string[]> {
  const snapshot = await f.firestore.collection('nasmonOutbox').get();
  return snapshot.docs.flatMap(doc => readOutboxBatch(doc).events.map(event => event.id)).sort();
}

const deliveries = (f: PollerFixture, id: string) => f.received.filter(event => event.id === id).length;

describeWithEmulators('a poller that crashes between commit and publish', () => {
  let f: PollerFixture;
  let names: string[];
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    ({names} = (await f.admin('POST', 'jobs:seed', {...TARGET, count: 4, scenarioMix: {succeed: 1}, maxTrialCount: 30})) as {names: string[]});
  });
  afterAll(async () => f?.close());

  it('keeps the events of a failed publish in the outbox and publishes them next cycle with the same ce-id', async () => {
    // The first call loses the first job's events (as a publish request that failed would) and
    // gets the other jobs' events out; later calls go through.
    let calls = 0;
    const failingOnce: EventPublisher = {
      async publish(events) {
        if (++calls > 1) return f.publisher.publish(events);
        const lost = events.filter(event => event.jobName === events[0]?.jobName);
        await f.publisher.publish(events.filter(event => !lost.includes(event)));
        throw new EventPublishError('upstream-unavailable', lost.map(event => event.id), new Error('simulated lost request'));
      },
    };
    const first = await f.cycle({publisher: failingOnce});
    expect(first).toMatchObject({observations: 4, batches: 4, published: 3, unpublished: 1});
    const stuck = await outboxIds(f);
    expect(stuck).toHaveLength(1);
    expect(f.logged('publish failed')).toEqual([expect.objectContaining({severity: 'WARNING', batches: 4})]);
    await f.waitForIds(names.map(name => `${name}/state/1`).filter(id => id !== stuck[0]));
    expect(deliveries(f, stuck[0]!)).toBe(0);

    const second = await f.cycle();
    expect(second).toMatchObject({observations: 0, published: 1, unpublished: 0});
    await f.waitForIds(stuck);
    expect(await outboxIds(f)).toEqual([]);
    expect(f.received.map(event => event.id).sort()).toEqual(names.map(name => `${name}/state/1`).sort());
    for (const name of names) expect(await storedHistory(f.firestore, name)).toHaveLength(1);
  });

  it('publishes what a crash right after the commit left behind, once, on the next cycle', async () => {
    await f.sim.advance(600); // every job is running now
    const crashAfterCommit = {
      ...f.store,
      async recordObservations(...args: Parameters<typeof f.store.recordObservations>) {
        await f.store.recordObservations(...args);
        throw new Error('simulated crash after the commit');
      },
    };
    await expect(f.cycle({store: crashAfterCommit})).rejects.toThrow('simulated crash');
    const committed = names.map(name => `${name}/state/2`).sort();
    expect((await outboxIds(f)).filter(id => id.includes('/state/'))).toEqual(committed);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(f.received.filter(event => committed.includes(event.id))).toEqual([]);

    await f.cycle();
    await f.waitForIds(committed);
    expect(await outboxIds(f)).toEqual([]);
    for (const id of committed) expect(deliveries(f, id)).toBe(1);
    for (const name of names) expect((await storedHistory(f.firestore, name)).map(e => e.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING']);
  });

  it('re-publishes with the same ce-id what went out just before a crash that left the outbox uncleared', async () => {
    await f.sim.advance(7 * 24 * 3600); // every search is over
    const published: OutboundEvent[] = [];
    const crashBeforeCleanup = {
      ...f.store,
      completeOutbox: async () => Promise.reject(new Error('simulated crash before the outbox was cleared')),
    };
    const recording: EventPublisher = {publish: async events => (published.push(...events), f.publisher.publish(events))};
    await expect(f.cycle({store: crashBeforeCleanup, publisher: recording})).rejects.toThrow('simulated crash');
    const ids = published.map(event => event.id);
    expect(ids.filter(id => id.includes('/state/3'))).toHaveLength(names.length);
    expect(await outboxIds(f)).toEqual([...ids].sort());

    await f.cycle();
    await f.waitForIds(ids, {quietMs: 1000});
    // At-least-once: every one of these was delivered exactly twice, both times under its own id,
    // so a consumer de-duplicating on ce-id sees each transition once.
    for (const id of ids) expect(deliveries(f, id)).toBe(2);
    expect(await outboxIds(f)).toEqual([]);
    for (const name of names) expect(await storedHistory(f.firestore, name)).toHaveLength(3);
  });
});
