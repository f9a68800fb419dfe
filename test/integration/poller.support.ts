// Set-up of the poller's integration tests: the simulator over real HTTP, the Firestore and Pub/Sub
// emulators, the real adapters, and a subscription that collects every event published.
import {createServer} from 'node:net';
import {Firestore} from '@google-cloud/firestore';
import type {Message, PubSub, Subscription} from '@google-cloud/pubsub';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import {createPubSubEventPublisher, ensureTopic} from '../../shared/adapters/pubsub/index.js';
import type {Target} from '../../shared/config.js';
import {createLogger, type Logger} from '../../shared/log.js';
import type {EventPublisher} from '../../shared/ports/event-publisher.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {runPollCycle, type PollCycleDeps, type PollCycleSettings} from '../../shared/use-cases/poll/run-poll-cycle.js';
import {emulatorFirestore, emulatorPubSub, resetFirestore, uniqueName} from '../harness/emulators.js';
import {LOCATION, PROJECT, simClient, startSim, type Sim} from './vertex-client.support.js';

export const TARGET: Target = {project: PROJECT, location: LOCATION};

/** One event as a subscriber received it. */
export interface ReceivedEvent {
  readonly id: string;
  readonly type: string;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
  readonly data: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: PollCycleSettings = {maxReadsPerCycle: 200, createWindowMs: 5 * 60_000, sweepEveryMs: 10 * 60_000, maxNewJobsPerCycle: 1000};

/** Everything one poller test file needs, with log lines collected for assertions. */
export async function startPollerFixture(projectId: string, options: {timeScale?: number; clockOffsetSeconds?: number} = {}) {
  const sim = await startSim({timeScale: options.timeScale ?? 0, ...(options.clockOffsetSeconds === undefined ? {} : {clockOffsetSeconds: options.clockOffsetSeconds})});
  await resetFirestore(projectId);
  const firestore: Firestore = emulatorFirestore(projectId);
  const pubsub: PubSub = emulatorPubSub(projectId);
  const topicName = uniqueName('nasjob-events');
  const topic = await ensureTopic(pubsub, topicName);
  const [subscription] = await topic.createSubscription(uniqueName('events-test'), {enableMessageOrdering: true});
  const received: ReceivedEvent[] = [];
  subscription.on('message', (message: Message) => {
    received.push({
      id: message.attributes['ce-id'] ?? '', type: message.attributes['ce-type'] ?? '',
      attributes: {...message.attributes}, orderingKey: message.orderingKey ?? '',
      data: JSON.parse(message.data.toString()) as Record<string, unknown>,
    });
    message.ack();
  });
  const lines: string[] = [];
  const log: Logger = createLogger({}, line => lines.push(line));
  const {client: vertex} = simClient(sim, {retry: {maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50, maxServerDelayMs: 2000}});
  const store: PollStore = createFirestorePollStore({firestore, log});
  const publisher: EventPublisher = createPubSubEventPublisher({pubsub, topicName});
  const deps: PollCycleDeps = {vertex, store, publisher, log, now: () => new Date(simNowMs)};
  let simNowMs = Date.now();
  /** Every cycle started through `cycle()`: the simulated instant it polled at, and whether it resolved. */
  const polls: Array<{at: string; ok: boolean}> = [];
  const admin = (method: string, path: string, body?: unknown) => simAdmin(sim, method, path, body);
  const syncClock = async () => {
    const {now} = (await admin('GET', 'clock')) as {now: string};
    simNowMs = Date.parse(now);
    return now;
  };
  return {
    sim, firestore, pubsub, topicName, subscription, received, lines, log, vertex, store, publisher, deps, polls, admin,
    /** The simulator's clock, RFC 3339 with microseconds (comparable as a string with its history). */
    simNow: async () => ((await admin('GET', 'clock')) as {now: string}).now,
    /** One cycle with the poller's clock set to the simulator's, as if both ran on one real clock. */
    async cycle(overrides: Partial<PollCycleDeps> = {}, settings: Partial<PollCycleSettings> = {}) {
      const poll = {at: await syncClock(), ok: false};
      polls.push(poll);
      const report = await runPollCycle(TARGET, 'holder-test', {...deps, ...overrides}, {...DEFAULT_SETTINGS, ...settings});
      poll.ok = true;
      return report;
    },
    async lease() {
      await store.acquireLease(TARGET, 'holder-test', 3_600_000);
    },
    /** Waits until `count` events arrived (or the timeout passes) and returns them. */
    async waitForEvents(count: number, timeoutMs = 10_000): Promise<ReceivedEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      return received;
    },
    /** Waits until `ids` all arrived, then `quietMs` more for stray duplicates; returns the deliveries. */
    async waitForIds(ids: Iterable<string>, {timeoutMs = 15_000, quietMs = 300} = {}): Promise<ReceivedEvent[]> {
      const wanted = new Set(ids);
      const deadline = Date.now() + timeoutMs;
      const missing = () => [...wanted].filter(id => !received.some(event => event.id === id));
      while (missing().length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      await new Promise(resolve => setTimeout(resolve, quietMs));
      return received;
    },
    /** Parsed log lines whose message contains `text`. */
    logged: (text: string) => lines.map(line => JSON.parse(line) as Record<string, unknown>)
      .filter(line => String(line.message).includes(text)),
    async close() {
      await subscription.close();
      await pubsub.close();
      await firestore.terminate();
      await sim.close();
    },
  };
}

export type PollerFixture = Awaited<ReturnType<typeof startPollerFixture>>;

/** A call to the simulator's admin API (`/simulator/{path}`); throws on a non-2xx answer. */
export async function simAdmin(sim: Sim, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}/simulator/${path}`, {
    method, headers: {'content-type': 'application/json'}, ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`simulator admin ${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : {};
}

/** One job's true timeline as GET /simulator/history tells it. */
export interface TrueJob {
  readonly name: string;
  readonly deleted: boolean;
  readonly deleteTime?: string;
  readonly scenario?: string;
  readonly states: ReadonlyArray<{state: string; time: string}>;
}

/** The simulator's true history, by job name. */
export async function trueHistory(sim: Sim): Promise<Map<string, TrueJob>> {
  const body = (await simAdmin(sim, 'GET', 'history')) as {jobs: TrueJob[]};
  return new Map(body.jobs.map(job => [job.name, job]));
}

/** Firestore history of one job, in sequence order. */
export async function storedHistory(firestore: Firestore, jobName: string) {
  const snapshot = await firestore.collection(`nasJobs/${jobName.replaceAll('/', '~')}/history`).orderBy('sequence').get();
  return snapshot.docs.map(doc => doc.data() as {sequence: number; state: string; previousState: string | null; skipped: boolean; eventId: string});
}

/**
 * A loopback port that accepts connections and drops them at once: a service that is down, on a
 * port no other process can take while the test runs. Unref'd, so it never holds the worker open.
 */
export async function startBlackHole(): Promise<{port: number; close: () => void}> {
  const server = createServer(socket => socket.destroy());
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {port: (server.address() as {port: number}).port, close: () => server.close()};
}

/**
 * A Firestore client of `projectId` on 127.0.0.1:`port`. FIRESTORE_EMULATOR_HOST overrides any host
 * given in the settings, but only while the constructor runs, so it is lifted for that moment.
 */
export function firestoreAt(projectId: string, port: number): Firestore {
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  try {
    return new Firestore({projectId, host: `127.0.0.1:${port}`, ssl: false});
  } finally {
    if (saved !== undefined) process.env.FIRESTORE_EMULATOR_HOST = saved;
  }
}

export type {Subscription};
