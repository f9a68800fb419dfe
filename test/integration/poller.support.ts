// Set-up of the poller's integration tests: the simulator over real HTTP, the Firestore and Pub/Sub
// emulators, the real adapters, and a subscription that collects every event published.
import type {Firestore} from '@google-cloud/firestore';
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

export const DEFAULT_SETTINGS: PollCycleSettings = {maxReadsPerCycle: 200, createWindowMs: 5 * 60_000, sweepEveryMs: 10 * 60_000};

/** Everything one poller test file needs, with log lines collected for assertions. */
export async function startPollerFixture(projectId: string, options: {timeScale?: number} = {}) {
  const sim = await startSim({timeScale: options.timeScale ?? 0});
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
  const syncClock = async () => {
    const {now} = (await (await fetch(`${sim.url}/simulator/clock`)).json()) as {now: string};
    simNowMs = Date.parse(now);
  };
  return {
    sim, firestore, pubsub, topicName, subscription, received, lines, log, vertex, store, publisher, deps,
    /** One cycle with the poller's clock set to the simulator's, as if both ran on one real clock. */
    async cycle(overrides: Partial<PollCycleDeps> = {}, settings: Partial<PollCycleSettings> = {}) {
      await syncClock();
      return runPollCycle(TARGET, 'holder-test', {...deps, ...overrides}, {...DEFAULT_SETTINGS, ...settings});
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
    async close() {
      await subscription.close();
      await pubsub.close();
      await firestore.terminate();
      await sim.close();
    },
  };
}

export type PollerFixture = Awaited<ReturnType<typeof startPollerFixture>>;

/** The simulator's true history, by job name. */
export async function trueHistory(sim: Sim): Promise<Map<string, {deleted: boolean; states: Array<{state: string; time: string}>}>> {
  const body = (await (await fetch(`${sim.url}/simulator/history`)).json()) as {
    jobs: Array<{name: string; deleted: boolean; states: Array<{state: string; time: string}>}>;
  };
  return new Map(body.jobs.map(job => [job.name, job]));
}

/** Firestore history of one job, in sequence order. */
export async function storedHistory(firestore: Firestore, jobName: string) {
  const snapshot = await firestore.collection(`nasJobs/${jobName.replaceAll('/', '~')}/history`).orderBy('sequence').get();
  return snapshot.docs.map(doc => doc.data() as {sequence: number; state: string; previousState: string | null; skipped: boolean; eventId: string});
}

export type {Subscription};
