// EventPublisher on Pub/Sub: CloudEvents binary mode (attributes carry the context, data the JSON
// payload) on a topic with message ordering, keyed by job name (design.md, "Events").
import type {PubSub, Topic} from '@google-cloud/pubsub';
import type {OutboundEvent} from '../../core/events/nasjob-event.js';
import {NasmonError, type ErrorCode} from '../../errors.js';
import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';

/** Options of {@link createPubSubEventPublisher}. */
export interface PubSubEventPublisherOptions {
  readonly pubsub: PubSub;
  readonly topicName: string;
  readonly log?: Logger;
  /**
   * A publish call fails after this long, whatever the client library is still doing. Unset, the
   * library's default applies: against an unreachable Pub/Sub it retries for 60 s (and its own
   * `timeout` option is a retry budget that gRPC's reconnect backoff stretches several-fold), so the
   * poll cycle waiting on it stalls as long. The events stay in the outbox either way; one that the
   * library still gets out after the deadline is published again later under the same ce-id, and an
   * ordering key the library pauses after the deadline is resumed by the next failed attempt.
   */
  readonly timeoutMs?: number;
}

/** Some events of a publish call were not accepted; `eventIds` lists them in call order. */
export class EventPublishError extends NasmonError {
  override readonly name = 'EventPublishError';

  constructor(code: ErrorCode, readonly eventIds: readonly string[], cause: unknown) {
    super(code, `publishing ${eventIds.length} event(s) failed: ${eventIds.join(', ')}`, {cause});
  }
}

// gRPC codes after which the same publish cannot succeed until someone fixes the topic or its IAM.
const REJECTED = new Set([3, 5, 7, 16]); // INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED

/** Creates the publisher of nasmon's events topic. */
export function createPubSubEventPublisher(options: PubSubEventPublisherOptions): EventPublisher {
  const gaxOpts = options.timeoutMs === undefined ? {} : {gaxOpts: {timeout: options.timeoutMs}};
  const topic: Topic = options.pubsub.topic(options.topicName, {messageOrdering: true, ...gaxOpts});
  return {
    async publish(events) {
      // All calls are issued at once, in order: the client keeps each ordering key's order and
      // batches the rest, where awaiting one by one would cost a batching window per event.
      const results = await settleWithin(events.map(event => topic.publishMessage(toMessage(event))), options.timeoutMs);
      const failed = events.filter((_, index) => results[index]?.status === 'rejected');
      if (failed.length === 0) return;
      // With ordering on, the client stops a key after a failure until it is resumed; the events
      // stay in the outbox, so the next attempt must be allowed through.
      for (const key of new Set(failed.map(event => event.orderingKey))) topic.resumePublishing(key);
      const cause = results.find(result => result.status === 'rejected')?.reason as unknown;
      const error = new EventPublishError(codeOf(cause), failed.map(event => event.id), cause);
      options.log?.warn('events were not published', {topic: options.topicName, eventIds: error.eventIds, error});
      throw error;
    },
  };
}

/** Like Promise.allSettled, but whatever has not settled after `ms` counts as rejected (DEADLINE_EXCEEDED). */
async function settleWithin<T>(calls: readonly Promise<T>[], ms: number | undefined): Promise<PromiseSettledResult<T>[]> {
  if (ms === undefined) return Promise.allSettled(calls);
  const outcomes: Array<PromiseSettledResult<T> | undefined> = calls.map(() => undefined);
  const all = Promise.all(calls.map((call, index) => call.then(
    value => void (outcomes[index] = {status: 'fulfilled', value}),
    (reason: unknown) => void (outcomes[index] = {status: 'rejected', reason}),
  )));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  const late = Object.assign(new Error(`publish did not complete within ${ms} ms`), {code: 4});
  return outcomes.map(outcome => outcome ?? {status: 'rejected', reason: late});
}

function toMessage(event: OutboundEvent) {
  return {
    data: Buffer.from(JSON.stringify(event.data)),
    attributes: {...event.attributes},
    orderingKey: event.orderingKey,
  };
}

function codeOf(cause: unknown): ErrorCode {
  const code = (cause as {code?: unknown} | undefined)?.code;
  return typeof code === 'number' && REJECTED.has(code) ? 'upstream-rejected' : 'upstream-unavailable';
}
