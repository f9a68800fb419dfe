// Takes what a Pub/Sub emulator still holds for one subscription, straight from the emulator's own
// address, while every client is shut out of it. The soak runs it just before it kills the emulator
// (pubsub-restart): production Pub/Sub keeps what it acknowledged through an outage and delivers it
// afterwards; the emulator dies with it, and the checker would count each such event as nasmon's loss.
import {PubSub, type Message} from '@google-cloud/pubsub';

/** How long no message may have come before the subscription counts as drained, and the most it waits. */
const QUIET_MS = 1500;
const MAX_MS = 10_000;

/** Pulls (and hands to `onMessage`, which acks) until nothing has come for QUIET_MS; returns how many came. */
export async function drainSubscription(directHost: string, projectId: string, subscription: string, onMessage: (message: Message) => void): Promise<number> {
  const pubsub = new PubSub({projectId, apiEndpoint: directHost, emulatorMode: true});
  const pull = pubsub.subscription(subscription);
  const started = Date.now();
  let last = started;
  let count = 0;
  pull.on('message', (message: Message) => {
    last = Date.now();
    count += 1;
    onMessage(message);
  });
  pull.on('error', () => undefined); // the emulator is about to die; what came before the error counts
  try {
    while (Date.now() - last < QUIET_MS && Date.now() - started < MAX_MS) await new Promise(resolve => setTimeout(resolve, 100));
  } finally {
    await pull.close().catch(() => undefined);
    await pubsub.close().catch(() => undefined);
  }
  return count;
}
