// nasmon wired as in production, for the end-to-end test of its reactions: the NAS simulator over
// HTTP, the Firestore and Pub/Sub emulators, every function behind its own functions-framework server
// with dependencies built from the environment (functions/wiring), Pub/Sub push subscriptions into
// those servers, stand-ins for the two Cloud Scheduler jobs, the Slack-like webhook receiver and the
// SMTP server of notify's tests, and a plain subscription that records every event on the topic.
//
// The simulator's clock runs at real speed (timeScale 1) and its durations are shortened instead:
// enforce, as deployed, judges a job's startTime by the wall clock (`now: () => new Date()`), so an
// accelerated simulator clock, which runs ahead of the wall clock, would put every start in the future.
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {fileURLToPath} from 'node:url';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import type {CreateSubscriptionOptions, Message, Subscription} from '@google-cloud/pubsub';
import {emulatorFirestore, emulatorPubSub, resetFirestore, uniqueName} from '../harness/emulators.js';
import {startMailServer, startWebhookReceiver} from '../integration/notify-peers.support.js';
import {simAdmin} from '../integration/poller.support.js';
import {startSim} from '../integration/vertex-client.support.js';

/** The one (project, location) the pollers watch. */
export const TARGET = {project: 'e2e-reactions', location: 'us-central1'} as const;
/** The webhook path of the vision team's channel; it stands for Slack's secret URL. */
export const HOOK = '/services/T1/B1/e2e-vision-secret-token';
/** Cloud Scheduler's one minute for the pollers, scaled to the test: a tick, and a session that long. */
const POLL_PERIOD_SECONDS = 5;
const ENFORCE_TICK_MS = 1000;
/** Seconds instead of the simulator's default minutes (simulator/README.md, "Config knobs"). */
const SIM_DURATIONS = {pendingSeconds: [3, 3], capacityFailSeconds: [5, 5], cancelSeconds: [2, 2], cancelRaceProbability: 0};
const POLICY_FILE = fileURLToPath(new URL('../fixtures/policy/reactions.yaml', import.meta.url));

/** One event as the recording subscription received it. */
export interface RecordedEvent {
  readonly messageId: string;
  readonly id: string;
  readonly type: string;
  readonly job: string;
  readonly data: Record<string, unknown>;
}

/** A job seeded into the simulator. */
export interface SeededJob {
  readonly name: string;
  readonly displayName: string;
}

/** Starts everything but the schedulers; `startSchedulers` once the jobs are seeded. */
export async function startReactionsStack(projectId: string) {
  await resetFirestore(projectId);
  const sim = await startSim({timeScale: 1});
  await sim.config(SIM_DURATIONS);
  const [slack, smtp] = await Promise.all([startWebhookReceiver(), startMailServer()]);
  const topics = {ticks: uniqueName('poll-ticks'), targets: uniqueName('poll-targets'), events: uniqueName('nasjob-events'), enforceTicks: uniqueName('enforce-ticks')};
  Object.assign(process.env, {
    GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: `${TARGET.project}/${TARGET.location}`,
    VERTEX_API_ENDPOINT: sim.url, NASMON_VERTEX_STATIC_TOKEN: 'local-test', NASMON_POLICY: POLICY_FILE,
    NASMON_EVENTS_TOPIC: topics.events, NASMON_TARGETS_TOPIC: topics.targets,
    NASMON_POLL_INTERVAL_SECONDS: '1', NASMON_POLL_SESSION_SECONDS: String(POLL_PERIOD_SECONDS),
    NASMON_SLACK_WEBHOOKS: JSON.stringify({vision: slack.url(HOOK)}), NASMON_SMTP_URL: smtp.url(),
    NASMON_EMAIL_FROM: 'nasmon <nasmon@example.com>', NASMON_NOTIFY_GROUP_SECONDS: '0',
  });
  await import('../../functions/index.js');
  const pubsub = emulatorPubSub(projectId);
  for (const name of Object.values(topics)) await pubsub.createTopic(name);

  const servers: Server[] = [];
  const pushes: Subscription[] = [];
  const push = async (target: string, topic: string, options: CreateSubscriptionOptions = {}) => {
    const server = getTestServer(target).listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    servers.push(server);
    // The URL ends in the topic's path, so the framework can name the event's source.
    const pushEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/${topic}`;
    const [subscription] = await pubsub.topic(topic).createSubscription(uniqueName(`push-${target}`), {ackDeadlineSeconds: 60, ...options, pushConfig: {pushEndpoint}});
    pushes.push(subscription);
  };
  // As README.md deploys them: enforce with message ordering, notify without (it groups bursts itself).
  await push('pollNasJobs', topics.ticks);
  await push('pollTarget', topics.targets);
  await push('notify', topics.events);
  await push('enforce', topics.events, {enableMessageOrdering: true});
  await push('enforceTick', topics.enforceTicks);

  const events: RecordedEvent[] = [];
  const [recorder] = await pubsub.topic(topics.events).createSubscription(uniqueName('events-recorder'));
  recorder.on('message', (message: Message) => {
    const attributes = message.attributes;
    events.push({
      messageId: message.id, id: attributes['ce-id'] ?? '', type: attributes['ce-type'] ?? '', job: attributes['ce-nasjob'] ?? '',
      data: JSON.parse(message.data.toString()) as Record<string, unknown>,
    });
    message.ack();
  });

  const firestore = emulatorFirestore(projectId);
  const tickers: NodeJS.Timeout[] = [];
  const tickFailures: string[] = [];
  const publishTick = (topic: string) => void pubsub.topic(topic).publishMessage({json: {}}).catch(error => tickFailures.push(String(error)));
  return {
    sim, slack, smtp, firestore, events, tickFailures,
    /** Seeds one job of the vision team with this simulator scenario. */
    async seed(scenario: string, displayNamePrefix: string): Promise<SeededJob> {
      const body = {...TARGET, count: 1, displayNamePrefix, maxTrialCount: 20, maxParallelTrialCount: 2,
        labels: {team: 'vision', 'sim-scenario': scenario, 'sim-cancel': 'cancelled'}};
      const {names} = (await simAdmin(sim, 'POST', 'jobs:seed', body)) as {names: [string]};
      return {name: names[0], displayName: `${displayNamePrefix}-1`};
    },
    /** The two Cloud Scheduler jobs: poll ticks every period, enforce ticks every second. */
    startSchedulers(): void {
      publishTick(topics.ticks);
      tickers.push(setInterval(() => publishTick(topics.ticks), POLL_PERIOD_SECONDS * 1000));
      tickers.push(setInterval(() => publishTick(topics.enforceTicks), ENFORCE_TICK_MS));
    },
    async close(): Promise<void> {
      for (const ticker of tickers) clearInterval(ticker);
      await Promise.all(pushes.map(subscription => subscription.delete().catch(() => undefined)));
      await recorder.close();
      // Waits for invocations still running (a poll session ends within its period).
      await Promise.all(servers.map(server => closeServer(server, (POLL_PERIOD_SECONDS + 5) * 1000)));
      await Promise.all([slack.close(), smtp.close(), firestore.terminate()]);
      await pubsub.close();
      await sim.close();
    },
  };
}

export type ReactionsStack = Awaited<ReturnType<typeof startReactionsStack>>;

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Waits until `condition` holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
