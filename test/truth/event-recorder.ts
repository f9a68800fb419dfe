// A test subscription's listener that keeps every delivery as the ground-truth check wants it: id,
// type, attributes, parsed data, when it arrived and in which order. Create the subscription with
// message ordering on, before the run starts, so arrival order means something and nothing is lost.
import type {Message, Subscription} from '@google-cloud/pubsub';
import type {ReceivedEvent} from './truth-records.js';

/**
 * Records deliveries into `events` (arrival order) until `stop()`; `add` records (and acks) a message
 * of the same subscription received some other way (the soak drains it past a dying emulator).
 */
export function recordEvents(subscription: Subscription): {readonly events: ReceivedEvent[]; add(message: Message): void; stop(): Promise<void>} {
  const events: ReceivedEvent[] = [];
  const onMessage = (message: Message) => {
    const text = message.data.toString('utf8');
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      data = {unparsed: text}; // kept: an event whose data is not JSON is itself a finding to see
    }
    events.push({
      id: message.attributes['ce-id'] ?? '', type: message.attributes['ce-type'] ?? '', attributes: {...message.attributes},
      data, receivedAtMs: Date.now(), ...(message.orderingKey ? {orderingKey: message.orderingKey} : {}), messageId: message.id,
    });
    message.ack();
  };
  subscription.on('message', onMessage);
  return {
    events,
    add: onMessage,
    async stop() {
      subscription.off('message', onMessage);
      await subscription.close();
    },
  };
}
