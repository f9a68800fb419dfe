// The soak's stack, wired as `npm start` wires it (and production): the NAS simulator in its own
// process, the Firestore and Pub/Sub emulators, every function in its own functions-framework
// process under a supervisor, the Pub/Sub topics and push subscriptions of scripts/local/topology.ts,
// the Slack and SMTP sinks (with secret webhook paths and an SMTP login), and the two schedulers.
// Everything on free ports, logging under the soak's own folder, so it runs next to `npm start`.
import {join} from 'node:path';
import {Firestore} from '@google-cloud/firestore';
import {PubSub, type Message, type Subscription} from '@google-cloud/pubsub';
import {findEmulatorLaunchers, freePort, startEmulator, stopEmulators, waitUntilReady, type EmulatorName, type RunningEmulator} from '../../test/harness/emulator-processes.js';
import {restartEmulator, startRestartableEmulator, stopRestartableEmulators, type RestartableEmulator} from '../../test/harness/restartable-emulator.js';
import {buildFunctions} from '../local/build.js';
import {startSlackSink, type SlackSink} from '../local/slack-sink.js';
import {startSmtpSink, type SmtpSink} from '../local/smtp-sink.js';
import type {BridgeCounts} from '../local/push-bridge.js';
import {createTopology, TOPICS, wirePubSub, type WireOptions} from '../local/topology.js';
import type {EmulatorRestart, StackNeeds} from './chaos.js';
import {drainSubscription} from './drain-subscription.js';
import {SOAK_SIMULATOR_CONFIG, TEAMS, type SoakTarget} from './plan.js';
import {smtpUrlOf, type SoakSecrets} from './secrets.js';
import {startSimulatorProcess, type SimulatorProcess} from './simulator-process.js';
import {superviseFunctions, type Supervisor} from './supervisor.js';

export const SOAK_PROJECT = 'demo-nasmon-soak';
export const SOAK_POLICY_FILE = 'scripts/soak/soak-policy.yaml';
const EVENT_TARGETS = ['pollNasJobs', 'pollTarget', 'notify', 'enforce', 'enforceTick'] as const;
const HTTP_TARGETS = ['nasJobsApi', 'dashboard'] as const;
export const TICK_SECONDS = 60;
const ENFORCE_TICK_SECONDS = 5;

/** Thrown when the machine lacks the emulators; the soak says what to install. */
export class EmulatorsMissing extends Error {
  override readonly name = 'EmulatorsMissing';
}

export interface SoakStackOptions {
  readonly logDir: string;
  readonly targets: readonly SoakTarget[];
  readonly seed: number;
  readonly pollIntervalSeconds: number;
  readonly secrets: SoakSecrets;
  readonly issuerDir: string;
  /** Extra environment for every function (chaos scenarios). */
  readonly functionEnv: Readonly<Record<string, string>>;
  /** What the chaos scenarios need of the stack (restartable emulators, delivery chaos, a skewed simulator clock). */
  readonly needs: StackNeeds;
  readonly say: (line: string) => void;
}

/** What a part of the soak can reach of the running stack. */
export interface SoakStack {
  readonly simulator: SimulatorProcess;
  readonly emulators: readonly RunningEmulator[];
  readonly functions: Supervisor;
  readonly gateUrl: string;
  readonly firestore: Firestore;
  readonly pubsub: PubSub;
  /** The soak's own ordered pull subscription on nasjob-events. */
  readonly eventLog: Subscription;
  readonly webhooks: Readonly<Record<string, string>>;
  readonly smtpUrl: string;
  /**
   * Kills an emulator started restartable (StackNeeds.restartable) and starts it again behind its
   * gate. Pub/Sub: what the event log's subscription still holds goes to `eventLogSink` first.
   */
  restartEmulator(name: EmulatorName, downMs: number, eventLogSink?: (message: Message) => void): Promise<EmulatorRestart>;
  /** What each push bridge did, by subscription (all of them under delivery chaos, else pollTarget's). */
  bridgeCounts(): Record<string, BridgeCounts>;
  /** Starts the schedulers (a poll tick at once, then every minute; an enforce tick every 5 s). */
  startSchedulers(): void;
  stop(): Promise<void>;
}

/** Starts everything but the schedulers; on failure, stops what had started and rethrows. */
export async function startSoakStack(o: SoakStackOptions): Promise<SoakStack> {
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) throw new EmulatorsMissing(launchers.missing);
  const parts: {simulator?: SimulatorProcess; slack?: SlackSink; smtp?: SmtpSink; emulators: RunningEmulator[]; restartable: RestartableEmulator[]; functions?: Supervisor; pubsub?: PubSub; firestore?: Firestore} = {emulators: [], restartable: []};
  const tickers: NodeJS.Timeout[] = [];
  let stopBridge: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const ticker of tickers) clearInterval(ticker);
    const bounded = (work: Promise<unknown> | undefined) => Promise.race([work?.catch(() => undefined), new Promise(resolve => setTimeout(resolve, 3000))]);
    await bounded(stopBridge?.());
    await bounded(Promise.all([parts.pubsub?.close(), parts.firestore?.terminate()]));
    await Promise.all([
      parts.functions?.stop(), stopEmulators(parts.emulators.filter(e => !parts.restartable.includes(e as RestartableEmulator))),
      stopRestartableEmulators(parts.restartable), parts.simulator?.stop(), bounded(parts.slack?.close()), bounded(parts.smtp?.close()),
    ]);
  };
  try {
    parts.simulator = await startSimulatorProcess(o.seed, join(o.logDir, 'simulator.log'), o.needs.clockOffsetSeconds ?? 0);
    await simulatorConfig(parts.simulator.url);
    parts.slack = await startSlackSink(TEAMS, 0, join(o.logDir, 'slack.jsonl'), () => undefined, o.secrets.slackPaths);
    parts.smtp = await startSmtpSink(0, join(o.logDir, 'mail.jsonl'), () => undefined, o.secrets.smtp);
    const smtpUrl = smtpUrlOf(o.secrets, parts.smtp.port);
    const buildSeconds = await buildFunctions(o.say, 'ignore');
    o.say(`built in ${buildSeconds.toFixed(1)} s; starting the emulators and the functions…`);
    // An emulator a scenario restarts runs behind a TCP gate (test/harness/restartable-emulator.ts),
    // so its clients keep one address; the Firestore data of the soak's project survives a restart.
    const emulator = async (name: EmulatorName): Promise<RunningEmulator> => {
      if (!o.needs.restartable?.includes(name)) {
        const started = startEmulator(name, launchers[name], await freePort(), o.logDir, process.pid);
        await waitUntilReady(started);
        return started;
      }
      const started = await startRestartableEmulator(name, {logDir: o.logDir, parentPid: process.pid, ...(name === 'firestore' ? {projects: [SOAK_PROJECT]} : {})});
      parts.restartable.push(started);
      return started;
    };
    parts.emulators.push(...await Promise.all([emulator('firestore'), emulator('pubsub')]));
    const [firestoreHost, pubsubHost] = [parts.emulators[0]!.host, parts.emulators[1]!.host];
    Object.assign(process.env, {FIRESTORE_EMULATOR_HOST: firestoreHost, PUBSUB_EMULATOR_HOST: pubsubHost, GOOGLE_CLOUD_PROJECT: SOAK_PROJECT, FIRESTORE_ENABLE_TRACING: 'off'});

    const specs = [...HTTP_TARGETS, ...EVENT_TARGETS].map(target => ({target, port: 0}));
    for (const spec of specs) spec.port = await freePort();
    parts.functions = await superviseFunctions(specs, {
      GOOGLE_CLOUD_PROJECT: SOAK_PROJECT, FIRESTORE_EMULATOR_HOST: firestoreHost, PUBSUB_EMULATOR_HOST: pubsubHost, METADATA_SERVER_DETECTION: 'none',
      VERTEX_API_ENDPOINT: parts.simulator.url, NASMON_VERTEX_STATIC_TOKEN: o.secrets.vertexToken,
      NASMON_TARGETS: o.targets.map(t => `${t.project}/${t.location}`).join(','), NASMON_POLICY: SOAK_POLICY_FILE,
      // The soak's clock runs about 60× faster than production's: polls every 2 s rather than 10 s,
      // a sweep for deleted finished jobs every minute rather than ten.
      NASMON_POLL_INTERVAL_SECONDS: String(o.pollIntervalSeconds), NASMON_SWEEP_MINUTES: '1',
      NASMON_AUTH_MODE: 'local', NASMON_LOCAL_ISSUER_DIR: o.issuerDir, NASMON_DASHBOARD_AUTH: 'none',
      NASMON_SLACK_WEBHOOKS: JSON.stringify(parts.slack.webhooks), NASMON_SMTP_URL: smtpUrl,
      NASMON_EMAIL_FROM: 'nasmon soak <nasmon@soak.example>', NASMON_NOTIFY_GROUP_SECONDS: '0',
      ...o.functionEnv,
    }, o.logDir, o.say, o.needs.functionEnv ?? {});

    parts.pubsub = new PubSub({projectId: SOAK_PROJECT});
    parts.firestore = new Firestore({projectId: SOAK_PROJECT});
    const functions = parts.functions;
    const endpoints = Object.fromEntries(EVENT_TARGETS.map(target => [target, functions.url(target)])) as Record<(typeof EVENT_TARGETS)[number], string>;
    const wireOptions: WireOptions = o.needs.deliveryChaos ? {chaos: {...o.needs.deliveryChaos, seed: o.seed}} : {};
    const wiring = await wirePubSub(parts.pubsub, SOAK_PROJECT, endpoints, text => void (stopping || o.say(`!!! ${text}`)), wireOptions);
    stopBridge = wiring.stopBridge;
    const pubsub = parts.pubsub;
    const restartable = parts.restartable;
    return {
      simulator: parts.simulator, emulators: parts.emulators, functions, gateUrl: functions.url('nasJobsApi'),
      firestore: parts.firestore, pubsub, eventLog: wiring.eventLog, webhooks: parts.slack.webhooks, smtpUrl,
      async restartEmulator(name, downMs, eventLogSink) {
        const target = restartable.find(e => e.name === name);
        if (!target) throw new Error(`the ${name} emulator was not started restartable`);
        const shutAtMs = Date.now();
        let drained: number | undefined;
        // The soak's event log stands for a subscriber of production Pub/Sub, which would get what was
        // acknowledged before the outage; the push subscriptions' messages die with the emulator.
        const beforeKill = async (directHost: string) => {
          if (!eventLogSink) return;
          const drain = await drainSubscription(directHost, SOAK_PROJECT, wiring.eventLog.name, eventLogSink);
          drained = drain.count;
          if (drain.error) o.say(`!!! draining the event log before the kill: ${drain.error.message} (${drain.count} taken before it)`);
        };
        // A new Pub/Sub emulator holds nothing: the topics and subscriptions come back under the same
        // names before clients are let in; the bridges and the soak's event log resume on them.
        const report = await restartEmulator(target, {
          downMs, ...(name === 'pubsub' ? {beforeKill, beforeReopen: async (directHost: string) => {
            const direct = new PubSub({projectId: SOAK_PROJECT, apiEndpoint: directHost});
            try {
              await createTopology(direct, SOAK_PROJECT, endpoints, wireOptions);
            } finally {
              await direct.close();
            }
          }} : {}),
        });
        return {name, shutAtMs, outageMs: report.outageMs, restartMs: report.restartMs, ...(drained === undefined ? {} : {drainedEvents: drained})};
      },
      bridgeCounts: () => Object.fromEntries(Object.entries(wiring.bridges).map(([name, bridge]) => [name, bridge.counts()])),
      startSchedulers() {
        // Cloud Scheduler publishes to a Pub/Sub that does not go away; while the soak's emulator is
        // restarting, a tick is retried (every second, for up to 30 s) rather than lost.
        const tick = (topic: string, tries = 30): void => void pubsub.topic(topic).publishMessage({json: {}}).catch(error => {
          if (stopping) return;
          if (tries > 1) return void setTimeout(() => tick(topic, tries - 1), 1000);
          o.say(`!!! tick on ${topic} failed: ${String(error)}`);
        });
        tick(TOPICS.ticks);
        tickers.push(setInterval(() => tick(TOPICS.ticks), TICK_SECONDS * 1000));
        tickers.push(setInterval(() => tick(TOPICS.enforceTicks), ENFORCE_TICK_SECONDS * 1000));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function simulatorConfig(url: string): Promise<void> {
  const response = await fetch(`${url}/simulator/config`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(SOAK_SIMULATOR_CONFIG)});
  if (!response.ok) throw new Error(`the simulator refused the soak's config: ${response.status} ${await response.text()}`);
}
