// The local stack's Pub/Sub wiring, as infra/ sets it up in production: the topics, one push
// subscription per event-driven function named after its entry point, and a pull subscription for
// the live event log. pollTarget's messages go through a bridge instead of the emulator's push
// (push-bridge.ts says why). The events topic keeps its messages for an hour, as production keeps
// them for a week, so a subscriber that comes late can seek back to the start of the run.
// With `chaos` (the soak), every subscription is delivered by a bridge that duplicates and delays.
import type {CreateSubscriptionOptions, PubSub, Subscription} from '@google-cloud/pubsub';
import {startPushBridge, type DeliveryChaos, type PushBridge} from './push-bridge.js';

export const TOPICS = {ticks: 'poll-ticks', enforceTicks: 'enforce-ticks', targets: 'poll-targets', events: 'nasjob-events'} as const;

/** The functions that take Pub/Sub messages, by entry point, with their servers' base URLs. */
export interface PushEndpoints {
  readonly pollNasJobs: string;
  readonly pollTarget: string;
  readonly notify: string;
  readonly enforce: string;
  readonly enforceTick: string;
}

/** How wirePubSub delivers; the default is the local stack's (emulator push, a bridge for pollTarget). */
export interface WireOptions {
  /**
   * Deliver every subscription through a push bridge that misbehaves this way (duplicates,
   * hold-backs) instead of the emulator's push; each bridge draws from `seed` plus its index.
   */
  readonly chaos?: DeliveryChaos;
}

/** The wiring's handles: the event-log subscription, the bridges by subscription name, and a stop for them. */
export interface PubSubWiring {
  readonly eventLog: Subscription;
  readonly bridges: Readonly<Record<string, PushBridge>>;
  readonly stopBridge: () => Promise<void>;
}

/** The pull subscriptions of a topology: those a bridge delivers, by name, and the event log's. */
export interface Topology {
  readonly eventLog: Subscription;
  readonly bridged: ReadonlyArray<{readonly subscription: Subscription; readonly endpoint: string}>;
}

// Each event-driven function's subscription. As infra/ deploys them: enforce with message ordering
// (a job's events in order), notify without.
const DELIVERIES = [
  {topic: TOPICS.ticks, name: 'poll-nas-jobs', endpoint: 'pollNasJobs', settings: {ackDeadlineSeconds: 60}},
  {topic: TOPICS.targets, name: 'poll-target', endpoint: 'pollTarget', settings: {ackDeadlineSeconds: 90}, bridged: true},
  {topic: TOPICS.events, name: 'notify', endpoint: 'notify', settings: {ackDeadlineSeconds: 60}},
  {topic: TOPICS.events, name: 'enforce', endpoint: 'enforce', settings: {ackDeadlineSeconds: 120, enableMessageOrdering: true}},
  {topic: TOPICS.enforceTicks, name: 'enforce-tick', endpoint: 'enforceTick', settings: {ackDeadlineSeconds: 120}},
] as const;

/** Creates the topics and subscriptions and starts the bridges; returns the event-log subscription and a stop for the bridges. */
export async function wirePubSub(pubsub: PubSub, projectId: string, endpoints: PushEndpoints, onError: (text: string) => void, options: WireOptions = {}): Promise<PubSubWiring> {
  const {eventLog, bridged} = await createTopology(pubsub, projectId, endpoints, options);
  const bridges: Record<string, PushBridge> = {};
  for (const [index, {subscription, endpoint}] of bridged.entries()) {
    const chaos = options.chaos ? {...options.chaos, seed: (options.chaos.seed ?? 1) + index} : {};
    bridges[subscription.name.split('/').pop()!] = startPushBridge(subscription, endpoint, projectId, onError, chaos);
  }
  const stopBridge = async () => void (await Promise.all(Object.values(bridges).map(bridge => bridge.stop())));
  return {eventLog, bridges, stopBridge};
}

/**
 * Creates the topics and subscriptions without starting anything: push subscriptions, and pull
 * subscriptions for the bridged deliveries (all of them with `chaos`). A restarted Pub/Sub emulator
 * keeps none of them; calling this again with the same options brings them back under the same
 * names, and the bridges and the event log of the first wiring resume on them by themselves.
 */
export async function createTopology(pubsub: PubSub, projectId: string, endpoints: PushEndpoints, options: WireOptions = {}): Promise<Topology> {
  for (const name of Object.values(TOPICS)) await createTopic(pubsub, name, name === TOPICS.events ? 3600 : undefined);
  // The push URL ends in the topic path so the framework can name the event's source.
  const url = (base: string, topic: string) => `${base}/projects/${projectId}/topics/${topic}`;
  const bridged: Array<{subscription: Subscription; endpoint: string}> = [];
  for (const delivery of DELIVERIES) {
    const endpoint = url(endpoints[delivery.endpoint], delivery.topic);
    if ('bridged' in delivery || options.chaos) bridged.push({subscription: await subscription(pubsub, delivery.topic, delivery.name, delivery.settings), endpoint});
    else await push(pubsub, delivery.topic, delivery.name, endpoint, delivery.settings);
  }
  const eventLog = await subscription(pubsub, TOPICS.events, 'local-event-log', {enableMessageOrdering: true});
  return {eventLog, bridged};
}

async function createTopic(pubsub: PubSub, name: string, retentionSeconds: number | undefined): Promise<void> {
  try {
    await pubsub.createTopic({name, ...(retentionSeconds ? {messageRetentionDuration: {seconds: retentionSeconds}} : {})});
  } catch (error) {
    if ((error as {code?: unknown}).code !== 6) throw error; // 6: ALREADY_EXISTS
  }
}

async function push(pubsub: PubSub, topic: string, name: string, pushEndpoint: string, options: CreateSubscriptionOptions): Promise<void> {
  await subscription(pubsub, topic, name, {...options, pushConfig: {pushEndpoint}});
}

async function subscription(pubsub: PubSub, topic: string, name: string, options: CreateSubscriptionOptions): Promise<Subscription> {
  const existing = pubsub.subscription(name);
  if ((await existing.exists())[0]) await existing.delete(); // a fresh emulator has none; a reused one may point elsewhere
  const [created] = await pubsub.topic(topic).createSubscription(name, options);
  return created;
}
