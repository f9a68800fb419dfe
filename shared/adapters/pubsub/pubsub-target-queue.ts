import type {PubSub} from '@google-cloud/pubsub';
import type {TargetQueue} from '../../use-cases/poll/fan-out-targets.js';

/** A TargetQueue on a Pub/Sub topic: one JSON message per target, published together. */
export function createPubSubTargetQueue(options: {pubsub: PubSub; topicName: string}): TargetQueue {
  const topic = options.pubsub.topic(options.topicName);
  return {
    async enqueue(messages) {
      await Promise.all(messages.map(message => topic.publishMessage({json: message})));
    },
  };
}
