// Takes what a Pub/Sub emulator still holds for one subscription, straight from the emulator's own
// address, while every client is shut out of it. The soak runs it just before it kills the emulator
// (pubsub-restart): production Pub/Sub keeps what it acknowledged through an outage and delivers it
// afterwards; the emulator dies with it, and the checker would count each such event as nasmon's loss.
import {PubSub, type Message} from '@google-cloud/pubsub';

/** How long no message may have come before the subscription counts as drained, and the most it waits. */
const QUIET_MS = 1500;
const MAX_MS = 10_000;

/**
 * Pulls (and hands to `onMessage`, which acks) until nothing has come for QUIET_MS; returns how many
 * came, and the subscriber's first error if it had one (what came before it counts all the same).
 */
export async function drainSubscription(directHost: string, projectId: string, subscription: string, onMessage: (message: Message) => void): Promise<{count: number; error?: Error}> {
  const pubsub = new PubSub({projectId, apiEndpoint: directHost, emulatorMode: true});
  const pull = pubsub.subscription(subscription);
  const started = Date.now();
  let last = started;
  let count = 0;
  let error: Error | undefined;
  pull.on('message', (message: Message) => {
    last = Date.now();
    count += 1;
    onMessage(message);
  });
  pull.on('error', (cause: Error) => (error ??= cause));
  try {
    while (Date.now() - last < QUIET_MS && Date.now() - started < MAX_MS) await new Promise(resolve => setTimeout(resolve, 100));
  } finally {
    await pull.close().catch(() => undefined);
    await pubsub.close().catch(() => undefined);
  }
  return error ? {count, error} : {count};
}
