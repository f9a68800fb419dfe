import type {OutboundEvent} from '../core/events/nasjob-event.js';

/** Publishes events to the events topic, in the given order per ordering key. */
export interface EventPublisher {
  /** Resolves once every event was accepted by Pub/Sub; rejects if any was not. */
  publish(events: readonly OutboundEvent[]): Promise<void>;
}
