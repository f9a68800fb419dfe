// The local stack's Pub/Sub wiring, as infra/ sets it up in production: topics, push subscriptions
// into the function servers, and a pull subscription for the live event log.
import type {PubSub, Subscription} from '@google-cloud/pubsub';
import {ensureTopic} from '../../shared/adapters/pubsub/index.js';
import {bridgePush} from './push-bridge.js';

export const TOPICS = {ticks: 'poll-ticks', targets: 'poll-targets', events: 'nasjob-events'} as const;

/** Creates the topics and subscriptions; returns the event-log subscription. */
export async function wirePubSub(pubsub: PubSub, projectId: string, endpoints: {pollNasJobs: string; pollTarget: string}, onError: (text: string) => void): Promise<{eventLog: Subscription; stopBridge: () => Promise<void>}> {
  for (const name of Object.values(TOPICS)) await ensureTopic(pubsub, name);
  // The push URL ends in the topic path so the framework can name the event's source.
  await push(pubsub, TOPICS.ticks, 'poll-nas-jobs', `${endpoints.pollNasJobs}/projects/${projectId}/topics/${TOPICS.ticks}`);
  const targets = await subscription(pubsub, TOPICS.targets, 'poll-target', {ackDeadlineSeconds: 90});
  const stopBridge = bridgePush(targets, `${endpoints.pollTarget}/projects/${projectId}/topics/${TOPICS.targets}`, projectId, onError);
  const eventLog = await subscription(pubsub, TOPICS.events, 'local-event-log', {enableMessageOrdering: true});
  return {eventLog, stopBridge};
}

async function push(pubsub: PubSub, topic: string, name: string, pushEndpoint: string): Promise<void> {
  await subscription(pubsub, topic, name, {pushConfig: {pushEndpoint}, ackDeadlineSeconds: 90});
}

async function subscription(pubsub: PubSub, topic: string, name: string, options: object): Promise<Subscription> {
  const existing = pubsub.subscription(name);
  if ((await existing.exists())[0]) await existing.delete(); // a fresh emulator has none; a reused one may point elsewhere
  const [created] = await pubsub.topic(topic).createSubscription(name, options);
  return created;
}
