// EventPublisher on Pub/Sub: CloudEvents binary mode (attributes carry the context, data the JSON
// payload) on a topic with message ordering, keyed by job name (design.md, "Events").
//
// It sends Publish RPCs itself instead of using Topic#publishMessage: the client library batches per
// ordering key, so a poll cycle with 100 changed jobs cost 100 RPCs (about 1.5 ms of CPU each). The
// Publish API takes messages of any number of ordering keys in one request and keeps each key's
// order within it, so a cycle's events go out in one RPC (a few when there are more than
// MAX_MESSAGES_PER_REQUEST). Requests go one after another, so a key's later messages are never
// sent before its earlier ones were accepted; calls made while a request is out wait for it and then
// share the next one (group commit: no delay when idle, fewer RPCs under load, as for the gate's
// request events of concurrent calls).
import type {PubSub} from '@google-cloud/pubsub';
import type {OutboundEvent} from '../../core/events/nasjob-event.js';
import type {ErrorCode} from '../../errors.js';
import type {Logger} from '../../log.js';
import {EventPublishError, type EventPublisher} from '../../ports/event-publisher.js';

export {EventPublishError} from '../../ports/event-publisher.js';

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
   * library still gets out after the deadline is published again later under the same ce-id.
   */
  readonly timeoutMs?: number;
}

/** The Publish API's limits per request are 1,000 messages and 10 MB; stay clear of the second. */
export const MAX_MESSAGES_PER_REQUEST = 1000;
export const MAX_BYTES_PER_REQUEST = 9 * 1024 * 1024;

// gRPC codes after which the same publish cannot succeed until someone fixes the topic or its IAM.
const REJECTED = new Set([3, 5, 7, 16]); // INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED

interface WireMessage {
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
}

/**
 * The library retries a failed Publish after 100 ms, then 4 times longer each time, up to a minute:
 * a publish caught by an outage of a few seconds tries next seconds after Pub/Sub is back, and the
 * poll cycle waiting on it with it. Here a retry waits at most a second (the codes retried are the
 * library's), within the call's own deadline.
 */
function publishBackoff(totalMs: number) {
  return {
    initialRetryDelayMillis: 100, retryDelayMultiplier: 2, maxRetryDelayMillis: 1000,
    initialRpcTimeoutMillis: totalMs, rpcTimeoutMultiplier: 1, maxRpcTimeoutMillis: totalMs, totalTimeoutMillis: totalMs,
  };
}

/** Creates the publisher of nasmon's events topic. */
export function createPubSubEventPublisher(options: PubSubEventPublisherOptions): EventPublisher {
  const {pubsub, timeoutMs} = options;
  // The topic's full name; the library fills in a project id it resolves lazily.
  const topic = pubsub.topic(options.topicName).name;
  const gaxOpts = {...(timeoutMs === undefined ? {} : {timeout: timeoutMs}), retry: {backoffSettings: publishBackoff(timeoutMs ?? 60_000)}};
  const send = (messages: readonly WireMessage[]) => new Promise<void>((resolve, reject) => {
    pubsub.request({client: 'PublisherClient', method: 'publish', reqOpts: {topic, messages}, gaxOpts}, error => (error ? reject(error) : resolve()));
  });
  /** Sends `events` in order; resolves with the ids not accepted (empty when all were) and the cause. */
  const sendAll = async (events: readonly OutboundEvent[]): Promise<{failed: string[]; cause?: unknown}> => {
    let accepted = 0;
    try {
      for (const request of requestsOf(events.map(toMessage))) {
        await within(send(request), timeoutMs);
        accepted += request.length;
      }
    } catch (cause) {
      // This request and every later one are reported; earlier requests were accepted.
      return {failed: events.slice(accepted).map(event => event.id), cause};
    }
    return {failed: []};
  };
  let waiting: PendingCall[] = [];
  let draining = false;
  const drain = async () => {
    draining = true;
    while (waiting.length > 0) {
      const calls = waiting;
      waiting = [];
      const {failed, cause} = await sendAll(calls.flatMap(call => call.events));
      const refused = new Set(failed);
      for (const call of calls) {
        const ids = call.events.filter(event => refused.has(event.id)).map(event => event.id);
        if (ids.length === 0) {
          call.resolve();
          continue;
        }
        const error = new EventPublishError(codeOf(cause), ids, cause);
        options.log?.warn('events were not published', {topic: options.topicName, eventIds: ids, error});
        call.reject(error);
      }
    }
    draining = false;
  };
  return {
    publish(events) {
      if (events.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({events, resolve, reject});
        if (!draining) void drain();
      });
    },
  };
}

interface PendingCall {
  readonly events: readonly OutboundEvent[];
  resolve(): void;
  reject(error: EventPublishError): void;
}

/** Splits messages, in order, into requests within the Publish API's limits. */
export function requestsOf<T extends {data: Buffer; attributes: Record<string, string>}>(messages: readonly T[]): T[][] {
  const requests: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (current.length > 0 && (current.length === MAX_MESSAGES_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function sizeOf(message: {data: Buffer; attributes: Record<string, string>}): number {
  let size = message.data.length + 64; // the ordering key and protobuf framing
  for (const [key, value] of Object.entries(message.attributes)) size += key.length + Buffer.byteLength(value) + 8;
  return size;
}

/** Rejects with DEADLINE_EXCEEDED when `call` has not settled after `ms`. */
async function within<T>(call: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return call;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`publish did not complete within ${ms} ms`), {code: 4})), ms);
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}

function toMessage(event: OutboundEvent): WireMessage {
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
