// Pub/Sub unavailable: the publisher is a real client on a port that drops every connection. The
// cycle still records (Firestore is fine), the events wait in the outbox, and once Pub/Sub is back
// every one of them goes out under the id it was committed with, in order per job, none twice.
// Without `timeoutMs` the client retries each publish for 60 s (measured: 61 s), stalling the cycle.
const TIMEOUT_MS = 500;
import {readOutboxBatch} from '../../shared/adapters/firestore/outbox-doc.js';
import {PubSub} from '@google-cloud/pubsub';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createPubSubEventPublisher} from '../../shared/adapters/pubsub/index.js';
import type {EventPublisher} from '../../shared/ports/event-publisher.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startBlackHole, startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';
import {stateEventsByJob} from './poller-truth.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('a poll cycle while Pub/Sub is unavailable', () => {
  let f: PollerFixture;
  let names: string[];
  let deadPubSub: PubSub;
  let dead: EventPublisher;
  const outbox = async () => (await f.firestore.collection('nasmonOutbox').get()).docs;
  const outboxIds = async () => (await outbox()).flatMap(doc => readOutboxBatch(doc).events.map(event => event.id));
  const stateIds = (ids: string[]) => ids.filter(id => id.includes('/state/')).sort();

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    const hole = await startBlackHole();
    deadPubSub = new PubSub({projectId, apiEndpoint: `127.0.0.1:${hole.port}`});
    dead = createPubSubEventPublisher({pubsub: deadPubSub, topicName: f.topicName, timeoutMs: TIMEOUT_MS, log: f.log});
    ({names} = (await f.admin('POST', 'jobs:seed', {...TARGET, count: 8, scenarioMix: {succeed: 1}, maxTrialCount: 30})) as {names: string[]});
  });
  afterAll(async () => {
    await deadPubSub?.close();
    await f?.close();
  });

  it('records, keeps every event in the outbox, and gives up on the publish within seconds', async () => {
    const started = Date.now();
    const report = await f.cycle({publisher: dead});
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 4000);
    expect(report).toMatchObject({observations: 8, batches: 8, published: 0, unpublished: 8});
    expect(stateIds(await outboxIds())).toEqual(names.map(name => `${name}/state/1`).sort());
    expect(f.logged('events were not published').length).toBeGreaterThan(0);
    expect(f.logged('publish failed; the outbox keeps the events')).toEqual([expect.objectContaining({batches: 8})]);
    for (const name of names) expect(await storedHistory(f.firestore, name)).toHaveLength(1);
  }, 30_000);

  it('keeps new events behind the waiting ones while the outage lasts', async () => {
    await f.sim.advance(600); // every job starts running
    const started = Date.now();
    const report = await f.cycle({publisher: dead});
    // Two rounds of publishing: the waiting batches first, then (after they failed) the new ones.
    expect(Date.now() - started).toBeLessThan(2 * TIMEOUT_MS + 4000);
    expect(report).toMatchObject({published: 0, unpublished: 16});
    expect(await outbox()).toHaveLength(16);
    expect(stateIds(await outboxIds())).toEqual(names.flatMap(name => [`${name}/state/1`, `${name}/state/2`]).sort());
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(f.received).toEqual([]);
  }, 30_000);

  it('publishes everything once Pub/Sub is back: same ids, in order per job, nothing twice', async () => {
    const waiting = await outboxIds();
    const report = await f.cycle();
    expect(report).toMatchObject({observations: 0, published: waiting.length, unpublished: 0});
    await f.waitForIds(waiting, {quietMs: 500});
    expect(await outboxIds()).toEqual([]);
    const {byJob, duplicates} = stateEventsByJob(f.received);
    expect(duplicates).toBe(0);
    for (const name of names) {
      expect(byJob.get(name)!.map(event => event.id)).toEqual([`${name}/state/1`, `${name}/state/2`]);
      expect((await storedHistory(f.firestore, name)).map(entry => entry.eventId)).toEqual([`${name}/state/1`, `${name}/state/2`]);
    }
  });
});
