import {afterAll, beforeAll, expect, it, vi} from 'vitest';
import type {Message, PubSub, Subscription, Topic} from '@google-cloud/pubsub';
import {createPubSubEventPublisher, ensureTopic, EventPublishError, MAX_MESSAGES_PER_REQUEST} from '../../shared/adapters/pubsub/index.js';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {describeWithEmulators, emulatorPubSub, testProjectId, uniqueName} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
const jobName = (n: number) => `projects/123/locations/us-central1/nasJobs/${n}`;

/** A stateChanged event of job `job`; `n` is carried in the data so arrival order can be checked. */
function anEvent(job: number, n: number): OutboundEvent {
  return buildEvent(
    {id: `${jobName(job)}/state/${n}`, type: EVENT_TYPES.stateChanged, job: {name: jobName(job)},
      time: '2026-11-02T09:00:00Z', state: 'JOB_STATE_RUNNING', previousState: 'JOB_STATE_PENDING'},
    {n, state: 'JOB_STATE_RUNNING', previousState: 'JOB_STATE_PENDING', sequence: n},
  );
}

/** Resolves with the first `count` messages the subscription delivers, acked. */
function collect(subscription: Subscription, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${messages.length} of ${count} messages`)), 15_000);
    subscription.on('message', (message: Message) => {
      message.ack();
      messages.push(message);
      if (messages.length === count) {
        clearTimeout(timer);
        resolve(messages);
      }
    });
  });
}

describeWithEmulators('PubSubEventPublisher', () => {
  let pubsub: PubSub;
  const subscriptions: Subscription[] = [];
  const subscribe = async (topic: Topic) => {
    const [subscription] = await topic.createSubscription(uniqueName('events-sub'), {enableMessageOrdering: true});
    subscriptions.push(subscription);
    return subscription;
  };

  beforeAll(() => {
    pubsub = emulatorPubSub(projectId);
  });
  afterAll(async () => {
    await Promise.all(subscriptions.map(subscription => subscription.close()));
    await pubsub.close();
  });

  it('publishes CloudEvents in binary mode: ce-* attributes, JSON data and the job as ordering key', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('events'));
    const received = collect(await subscribe(topic), 1);
    const event = anEvent(1, 1);

    await createPubSubEventPublisher({pubsub, topicName: topic.name}).publish([event]);

    const [message] = await received;
    expect(message!.attributes).toEqual(event.attributes);
    expect(message!.attributes).toMatchObject({'ce-specversion': '1.0', 'ce-id': event.id, 'ce-nasjob': jobName(1)});
    expect(JSON.parse(message!.data.toString('utf8'))).toEqual(event.data);
    expect(message!.orderingKey).toBe(jobName(1));
  });

  it('keeps the order of each job\'s events when publishing many jobs at once', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('events'));
    const received = collect(await subscribe(topic), 50);
    const events = Array.from({length: 50}, (_, i) => anEvent(i % 3, i));

    await createPubSubEventPublisher({pubsub, topicName: topic.name}).publish(events);

    const byKey = new Map<string, number[]>();
    for (const message of await received) {
      byKey.set(message.orderingKey!, [...(byKey.get(message.orderingKey!) ?? []), (JSON.parse(message.data.toString()) as {n: number}).n]);
    }
    expect([...byKey.keys()].sort()).toEqual([0, 1, 2].map(jobName));
    for (const [key, ns] of byKey) {
      expect(ns).toEqual(events.filter(e => e.orderingKey === key).map(e => e.data.n));
    }
  });

  it('splits more events than one request takes into several, keeping each job\'s order across them', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('events'));
    const count = MAX_MESSAGES_PER_REQUEST + 200;
    const received = collect(await subscribe(topic), count);
    const events = Array.from({length: count}, (_, i) => anEvent(i % 7, i));

    await createPubSubEventPublisher({pubsub, topicName: topic.name}).publish(events);

    const byKey = new Map<string, number[]>();
    for (const message of await received) {
      byKey.set(message.orderingKey!, [...(byKey.get(message.orderingKey!) ?? []), (JSON.parse(message.data.toString()) as {n: number}).n]);
    }
    for (const [key, ns] of byKey) {
      expect(ns).toEqual(events.filter(e => e.orderingKey === key).map(e => e.data.n));
    }
    expect([...byKey.values()].flat()).toHaveLength(count);
  });

  it('rejects naming every event that failed, and publishes again once the topic is back', async () => {
    const name = uniqueName('events');
    const topic = await ensureTopic(pubsub, name);
    const publisher = createPubSubEventPublisher({pubsub, topicName: name});
    const events = [anEvent(1, 1), anEvent(2, 1), anEvent(1, 2)];
    await topic.delete();

    const error: unknown = await publisher.publish(events).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventPublishError);
    expect(error).toMatchObject({eventIds: events.map(e => e.id), code: 'upstream-rejected'});
    expect((error as Error).message).toContain(events[0]!.id);

    const recreated = await ensureTopic(pubsub, name);
    const received = collect(await subscribe(recreated), 3);
    await publisher.publish(events);
    expect((await received).map(m => m.attributes['ce-id']).sort()).toEqual(events.map(e => e.id).sort());
  });

  it('lets concurrent calls share Publish requests, each resolving for its own events, in call order per job', async () => {
    const topic = await ensureTopic(pubsub, uniqueName('events'));
    const received = collect(await subscribe(topic), 60);
    const requests = vi.spyOn(pubsub, 'request');
    const publisher = createPubSubEventPublisher({pubsub, topicName: topic.name});
    const calls = Array.from({length: 30}, (_, i) => [anEvent(i % 4, 2 * i), anEvent(i % 4, 2 * i + 1)]);

    await Promise.all(calls.map(events => publisher.publish(events)));

    const publishes = requests.mock.calls.filter(([config]) => config.method === 'publish').length;
    requests.mockRestore();
    expect(publishes).toBeGreaterThanOrEqual(1);
    expect(publishes).toBeLessThan(calls.length / 2); // the first call goes alone, the rest wait and share
    const byKey = new Map<string, number[]>();
    for (const message of await received) {
      byKey.set(message.orderingKey!, [...(byKey.get(message.orderingKey!) ?? []), (JSON.parse(message.data.toString()) as {n: number}).n]);
    }
    for (const [key, ns] of byKey) expect(ns).toEqual(calls.flat().filter(e => e.orderingKey === key).map(e => e.data.n));
  });

  it('ensureTopic is idempotent, also when called concurrently', async () => {
    const name = uniqueName('events');
    const topics = await Promise.all([ensureTopic(pubsub, name), ensureTopic(pubsub, name), ensureTopic(pubsub, name)]);
    expect(new Set(topics.map(t => t.name)).size).toBe(1);
    expect((await pubsub.topic(name).exists())[0]).toBe(true);
  });
});
