// Delivers a pull subscription's messages to an HTTP endpoint the way Cloud Pub/Sub push does (the
// same JSON envelope, ack on 2xx, redelivery otherwise), but without the emulator's push limit of
// two outstanding messages per subscription: pollTarget sessions run for most of a minute, so with
// the emulator's own push, targets beyond the second would wait and then miss their period.
//
// For the chaos soak it can also misbehave the ways real push delivery may: deliver a message a
// second time (Pub/Sub is at-least-once) and hold messages back for a random while so later ones
// overtake them. Both are off unless asked for, drawn from a seeded generator, and counted.
import type {Message, Subscription} from '@google-cloud/pubsub';
import {seededRandom} from './seeded-random.js';

/** How a bridge misbehaves on purpose; every rate is a probability per message, 0 (default) to 1. */
export interface DeliveryChaos {
  /** Share of messages delivered twice: once as usual, then again under the same message id. */
  readonly duplicateRate?: number;
  /** Share of deliveries (duplicates included) held back before they are sent, so later ones overtake them. */
  readonly delayRate?: number;
  /** The longest hold-back; each held delivery waits a uniformly drawn time up to it. Default 2000 ms. */
  readonly maxDelayMs?: number;
  /** Seed of the draws; default 1. */
  readonly seed?: number;
}

/** What a bridge has done so far, for the soak's report. */
export interface BridgeCounts {
  /** Messages the subscription handed over, Pub/Sub's own redeliveries included. */
  readonly received: number;
  /** HTTP deliveries made, duplicates included. */
  readonly posts: number;
  /** Messages delivered a second time on purpose. */
  readonly duplicated: number;
  /** Deliveries held back on purpose. */
  readonly delayed: number;
  /** Deliveries answered with a non-2xx status or not answered at all. */
  readonly failed: number;
  readonly acked: number;
  readonly nacked: number;
}

/** A running bridge. */
export interface PushBridge {
  /** Stops pulling; deliveries still held back are dropped (their messages were not acked, so Pub/Sub keeps them). */
  stop(): Promise<void>;
  counts(): BridgeCounts;
}

/** Starts forwarding; returns a function that stops it. */
export function bridgePush(subscription: Subscription, endpoint: string, projectId: string, onError: (text: string) => void): () => Promise<void> {
  const bridge = startPushBridge(subscription, endpoint, projectId, onError);
  return () => bridge.stop();
}

/** Starts forwarding, with the chaos asked for (none by default). */
export function startPushBridge(subscription: Subscription, endpoint: string, projectId: string, onError: (text: string) => void, chaos: DeliveryChaos = {}): PushBridge {
  const {duplicateRate = 0, delayRate = 0, maxDelayMs = 2000, seed = 1} = chaos;
  for (const [name, rate] of [['duplicateRate', duplicateRate], ['delayRate', delayRate]] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be from 0 to 1 (got ${rate})`);
  }
  if (!(maxDelayMs >= 0 && Number.isFinite(maxDelayMs))) throw new RangeError(`maxDelayMs must be a finite number of at least 0 (got ${maxDelayMs})`);
  const random = seededRandom(seed);
  const counts = {received: 0, posts: 0, duplicated: 0, delayed: 0, failed: 0, acked: 0, nacked: 0};
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  // A held delivery waits `wait` ms; 0 sends it at once.
  const holdBack = (wait: number): Promise<void> => {
    if (wait <= 0) return Promise.resolve();
    counts.delayed += 1;
    return new Promise(resolve => {
      const timer = setTimeout(() => (timers.delete(timer), resolve()), wait);
      timers.add(timer);
    });
  };
  const post = async (body: string): Promise<boolean> => {
    counts.posts += 1;
    try {
      const response = await fetch(endpoint, {method: 'POST', headers: {'content-type': 'application/json'}, body});
      if (response.ok) return true;
      onError(`push to ${endpoint} answered ${response.status}; Pub/Sub will redeliver`);
    } catch (error) {
      onError(`push to ${endpoint} failed: ${String(error)}`);
    }
    counts.failed += 1;
    return false;
  };
  // Every message draws the same five numbers up front, in the order messages arrive, so one
  // message's choices never shift another's and a seed replays the same choices.
  const draw = () => {
    const [twice, held, wait, heldAgain, waitAgain] = [random(), random(), random(), random(), random()];
    return {
      twice: twice < duplicateRate,
      firstWait: held < delayRate ? wait * maxDelayMs : 0,
      secondWait: heldAgain < delayRate ? waitAgain * maxDelayMs : 0,
    };
  };
  const handle = async (message: Message) => {
    counts.received += 1;
    const body = JSON.stringify(envelope(message, subscription, projectId));
    const plan = draw();
    await holdBack(plan.firstWait);
    if (stopped) return;
    if (await post(body)) (counts.acked += 1, message.ack());
    else (counts.nacked += 1, message.nack());
    if (!plan.twice) return;
    counts.duplicated += 1;
    await holdBack(plan.secondWait);
    if (!stopped) await post(body);
  };
  subscription.on('message', message => void handle(message));
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await subscription.close();
    },
    counts: () => ({...counts}),
  };
}

/** The JSON body Cloud Pub/Sub push sends (the legacy wrapper, as the emulator's push does too). */
function envelope(message: Message, subscription: Subscription, projectId: string) {
  return {
    subscription: `projects/${projectId}/subscriptions/${subscription.name.split('/').pop()}`,
    message: {
      data: message.data.toString('base64'), attributes: message.attributes, messageId: message.id,
      message_id: message.id, publishTime: message.publishTime.toISOString(), publish_time: message.publishTime.toISOString(),
    },
  };
}
