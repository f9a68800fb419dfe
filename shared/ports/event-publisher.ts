import type {OutboundEvent} from '../core/events/nasjob-event.js';
import {NasmonError, type ErrorCode} from '../errors.js';

/** Publishes events to the events topic, in the given order per ordering key. */
export interface EventPublisher {
  /**
   * Resolves once every event was accepted by Pub/Sub. Rejects with {@link EventPublishError}
   * naming the events that may not have been accepted; the others were. Events of one ordering key
   * are accepted in call order, and none is accepted after one of its key that failed.
   */
  publish(events: readonly OutboundEvent[]): Promise<void>;
}

/** Some events of a publish call were not accepted; `eventIds` lists them in call order. */
export class EventPublishError extends NasmonError {
  override readonly name = 'EventPublishError';

  constructor(code: ErrorCode, readonly eventIds: readonly string[], cause: unknown) {
    super(code, `publishing ${eventIds.length} event(s) failed: ${eventIds.join(', ')}`, {cause});
  }
}
