// Delivers a pull subscription's messages to an HTTP endpoint the way Cloud Pub/Sub push does (the
// same JSON envelope, ack on 2xx, redelivery otherwise), but without the emulator's push limit of
// two outstanding messages per subscription: pollTarget sessions run for most of a minute, so with
// the emulator's own push, targets beyond the second would wait and then miss their period.
import type {Message, Subscription} from '@google-cloud/pubsub';

/** Starts forwarding; returns a function that stops it. */
export function bridgePush(subscription: Subscription, endpoint: string, projectId: string, onError: (text: string) => void): () => Promise<void> {
  const handle = async (message: Message) => {
    const body = {
      subscription: `projects/${projectId}/subscriptions/${subscription.name.split('/').pop()}`,
      message: {
        data: message.data.toString('base64'), attributes: message.attributes, messageId: message.id,
        message_id: message.id, publishTime: message.publishTime.toISOString(), publish_time: message.publishTime.toISOString(),
      },
    };
    try {
      const response = await fetch(endpoint, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
      if (response.ok) message.ack();
      else {
        onError(`push to ${endpoint} answered ${response.status}; Pub/Sub will redeliver`);
        message.nack();
      }
    } catch (error) {
      onError(`push to ${endpoint} failed: ${String(error)}`);
      message.nack();
    }
  };
  subscription.on('message', message => void handle(message));
  return () => subscription.close();
}
