import type {CloudEvent} from '@google-cloud/functions-framework';
import {MalformedMessageError} from '../shared/core/messages/pubsub-envelope.js';
import type {Logger} from '../shared/log.js';

/**
 * The only place that decides between retry and drop. Input that can never succeed (a malformed
 * message) is logged and acknowledged, so Pub/Sub does not redeliver it forever; anything else is
 * rethrown, the framework answers 500 and Pub/Sub redelivers (a dead-letter topic caps it).
 */
export async function settle(log: Logger, work: (log: Logger) => Promise<void>): Promise<void> {
  try {
    await work(log);
  } catch (error) {
    if (error instanceof MalformedMessageError) {
      log.error('dropping a malformed message', {field: error.field, reason: error.message});
      return;
    }
    log.error('invocation failed; Pub/Sub will redeliver', {error: error as Error});
    throw error;
  }
}

/** The logger of one invocation, carrying the event's id and type. */
export function eventLogger(base: Logger, fn: string, event: CloudEvent<unknown>): Logger {
  return base.child({fn, eventId: event.id ?? '', eventType: event.type ?? ''});
}
