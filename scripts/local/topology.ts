// The local stack's Pub/Sub wiring, as infra/ sets it up in production: the topics, one push
// subscription per event-driven function named after its entry point, and a pull subscription for
// the live event log. pollTarget's messages go through a bridge instead of the emulator's push
// (push-bridge.ts says why). The events topic keeps its messages for an hour, as production keeps
// them for a week, so a subscriber that comes late can seek back to the start of the run.
import type {CreateSubscriptionOptions, PubSub, Subscription} from '@google-cloud/pubsub';
import {bridgePush} from './push-bridge.js';

export const TOPICS = {ticks: 'poll-ticks', enforceTicks: 'enforce-ticks', targets: 'poll-targets', events: 'nasjob-events'} as const;

/** The functions that take Pub/Sub messages, by entry point, with their servers' base URLs. */
export interface PushEndpoints {
  readonly pollNasJobs: string;
  readonly pollTarget: string;
  readonly notify: string;
  readonly enforce: string;
  readonly enforceTick: string;
}

/** Creates the topics and subscriptions; returns the event-log subscription and a stop for the bridge. */
export async function wirePubSub(pubsub: PubSub, projectId: string, endpoints: PushEndpoints, onError: (text: string) => void): Promise<{eventLog: Subscription; stopBridge: () => Promise<void>}> {
  for (const name of Object.values(TOPICS)) await createTopic(pubsub, name, name === TOPICS.events ? 3600 : undefined);
  // The push URL ends in the topic path so the framework can name the event's source.
  const url = (base: string, topic: string) => `${base}/projects/${projectId}/topics/${topic}`;
  await push(pubsub, TOPICS.ticks, 'poll-nas-jobs', url(endpoints.pollNasJobs, TOPICS.ticks), {ackDeadlineSeconds: 60});
  const targets = await subscription(pubsub, TOPICS.targets, 'poll-target', {ackDeadlineSeconds: 90});
  const stopBridge = bridgePush(targets, url(endpoints.pollTarget, TOPICS.targets), projectId, onError);
  // As infra/ deploys them: enforce with message ordering (a job's events in order), notify without.
  await push(pubsub, TOPICS.events, 'notify', url(endpoints.notify, TOPICS.events), {ackDeadlineSeconds: 60});
  await push(pubsub, TOPICS.events, 'enforce', url(endpoints.enforce, TOPICS.events), {ackDeadlineSeconds: 120, enableMessageOrdering: true});
  await push(pubsub, TOPICS.enforceTicks, 'enforce-tick', url(endpoints.enforceTick, TOPICS.enforceTicks), {ackDeadlineSeconds: 120});
  const eventLog = await subscription(pubsub, TOPICS.events, 'local-event-log', {enableMessageOrdering: true});
  return {eventLog, stopBridge};
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
