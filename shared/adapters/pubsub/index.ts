// The Pub/Sub adapter: the events publisher and a topic helper for local use.
export * from './ensure-topic.js';
export * from './pubsub-event-publisher.js';
