// The SDK clients every function shares, built on first use and reused while the instance stays
// warm. When several functions run in one process (the local stack, the tests), they share them too:
// each function's configuration reads the same environment, so the first one built serves them all.
// The crash switch (NASMON_CRASH_POINTS, chaos runs only) is the process's too.
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {GoogleAuth, OAuth2Client} from 'google-auth-library';
import {createCrashSwitch, withListPageCrashPoint, type CrashSwitch} from '../../shared/adapters/chaos/index.js';
import {createPubSubEventPublisher} from '../../shared/adapters/pubsub/index.js';
import {createRequestBudget, createVertexNasClient, type VertexNasClient} from '../../shared/adapters/vertex/index.js';
import {nodeHttpFetch} from '../../shared/adapters/vertex/node-http-fetch.js';
import {createServerClock, observingServerClock, type ServerClock} from '../../shared/adapters/vertex/server-clock.js';
import {loadCrashPoints, type VertexAccess} from '../../shared/config.js';
import {createLogger, type Logger} from '../../shared/log.js';
import type {EventPublisher} from '../../shared/ports/event-publisher.js';

let log: Logger | undefined;
let firestore: Firestore | undefined;
let pubsub: PubSub | undefined;
let vertex: VertexNasClient | undefined;
let publisher: EventPublisher | undefined;
let crashSwitch: CrashSwitch | undefined;
let serverClock: ServerClock | undefined;

/**
 * gRPC channel options of the Firestore and Pub/Sub clients. After a lost connection, gRPC waits
 * 1 s before reconnecting and 1.6 times longer after each failure, up to 2 minutes: after an outage
 * of a few seconds the client stayed away 2-4 s longer than the service (measured against the
 * emulators behind a TCP gate, 6 s down). A poller that cycles every few seconds should be back
 * within a second; one instance retrying a connection every second costs the service nothing.
 */
export const RECONNECT_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1000,
} as const;

/** The process's logger. */
export function processLogger(): Logger {
  return (log ??= createLogger({service: 'nasmon'}));
}

/** The Firestore client of the project. */
export function firestoreClient(config: {projectId: string}): Firestore {
  // The client traces every call through OpenTelemetry unless told not to; nasmon registers no
  // exporter, so the spans go nowhere and cost about a tenth of a gate call's CPU (bench:api).
  // FIRESTORE_ENABLE_TRACING=on (the library's own variable) turns them back on.
  process.env.FIRESTORE_ENABLE_TRACING ??= 'off';
  return (firestore ??= new Firestore({projectId: config.projectId, ...RECONNECT_OPTIONS}));
}

/** The Pub/Sub client of the project. */
export function pubsubClient(config: {projectId: string}): PubSub {
  return (pubsub ??= new PubSub({projectId: config.projectId, ...RECONNECT_OPTIONS}));
}

/**
 * The crash points armed in this process (none unless NASMON_CRASH_POINTS says so). Throws the
 * ConfigError of a bad or refused setting, so the function fails loudly instead of running without.
 */
export function processCrashSwitch(): CrashSwitch {
  return (crashSwitch ??= createCrashSwitch(loadCrashPoints(), {log: processLogger().child({fn: 'chaos'})}));
}

/** The Vertex client, with the process's share of the request quotas. */
export function vertexClient(config: VertexAccess): VertexNasClient {
  return (vertex ??= createVertexNasClient({
    auth: vertexAuth(config),
    fetch: observingServerClock(withListPageCrashPoint(nodeHttpFetch, processCrashSwitch()), vertexServerClock()),
    ...(config.vertexApiEndpoint ? {baseUrl: config.vertexApiEndpoint} : {}),
    budget: createRequestBudget({readsPerMinute: config.readsPerMinute, writesPerMinute: config.writesPerMinute, share: config.quotaShare}),
    timeoutMs: 20_000,
  }));
}

/** Vertex's clock, as the answers of the process's Vertex client show it (enforce measures run times on it). */
export function vertexServerClock(): ServerClock {
  return (serverClock ??= createServerClock());
}

/** The publisher of the events topic (pollers, gate and enforce publish there). */
export function eventPublisher(config: {projectId: string; eventsTopic: string}): EventPublisher {
  // Bounded, so a Pub/Sub outage costs a cycle seconds, not a minute; the outbox keeps the events.
  return (publisher ??= createPubSubEventPublisher({pubsub: pubsubClient(config), topicName: config.eventsTopic, timeoutMs: 10_000}));
}

function vertexAuth(config: VertexAccess): GoogleAuth | OAuth2Client {
  if (!config.vertexStaticToken) return new GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform']});
  const client = new OAuth2Client();
  client.setCredentials({access_token: config.vertexStaticToken, expiry_date: Date.now() + 365 * 86_400_000});
  return client;
}
