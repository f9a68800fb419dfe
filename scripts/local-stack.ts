// `npm start`: the whole local stack. The Firestore and Pub/Sub emulators, the NAS simulator with a
// demo workload, every function in its own functions-framework server wired as in production
// (Pub/Sub push subscriptions into the event-driven ones, the gate with the local ID-token issuer,
// the dashboard open), the two schedulers, a Slack sink and an SMTP sink that print what notify
// sends, and a live one-line-per-event log. Ctrl-C or SIGTERM stops everything within seconds; the
// emulators and function servers also stop by themselves if this process is killed outright.
import {mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {PubSub, type Subscription} from '@google-cloud/pubsub';
import {loadOrCreateLocalIssuer} from '../shared/adapters/auth/local-issuer.js';
import {DEFAULT_LOCAL_ISSUER_DIR} from '../shared/config.js';
import {
  findEmulatorLaunchers, freePort, startEmulator, stopEmulators, waitUntilReady, type RunningEmulator,
} from '../test/harness/emulator-processes.js';
import {startSimulator, type RunningSimulator} from '../simulator/server.js';
import {bannerLines} from './local/banner.js';
import {buildFunctions} from './local/build.js';
import {configureDemoSimulator, DEMO_TARGETS, seedDemoWorkload} from './local/demo-workload.js';
import {eventNamesOf, formatEventLine} from './local/event-log.js';
import {startFunctionServer, startServing, stopFunctionServers, type FunctionServer} from './local/function-servers.js';
import {claimPort, portFromEnv} from './local/ports.js';
import {startSlackSink, type SlackSink} from './local/slack-sink.js';
import {startSmtpSink, type SmtpSink} from './local/smtp-sink.js';
import {TOPICS, wirePubSub} from './local/topology.js';

const PROJECT = 'demo-nasmon';
const POLICY_FILE = 'scripts/local/demo-policy.yaml';
const EVENT_TARGETS = ['pollNasJobs', 'pollTarget', 'notify', 'enforce', 'enforceTick'] as const;
const env = process.env;
const LOG_DIR = env.NASMON_LOCAL_LOG_DIR?.trim() || 'test-artifacts/local-stack';
const TICK_SECONDS = Number(env.NASMON_TICK_SECONDS ?? 60);
const ENFORCE_TICK_SECONDS = Number(env.NASMON_ENFORCE_TICK_SECONDS ?? 5);

const emulators: RunningEmulator[] = [];
const servers: FunctionServer[] = [];
const tickers: NodeJS.Timeout[] = [];
let simulator: RunningSimulator | undefined;
const sinks: {slack?: SlackSink; smtp?: SmtpSink} = {};
let pubsub: PubSub | undefined;
let eventLog: Subscription | undefined;
let stopBridge: (() => Promise<void>) | undefined;
let stopping = false;
process.env.METADATA_SERVER_DETECTION ??= 'none'; // this process's own Pub/Sub client must not probe GCE

async function main(): Promise<void> {
  const startedMs = Date.now();
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) {
    console.error(`nasmon's local stack needs the Firestore and Pub/Sub emulators: ${launchers.missing}.`);
    console.error('Install them with: sudo apt-get install google-cloud-cli google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator openjdk-17-jre-headless');
    process.exit(1);
  }
  if (!(TICK_SECONDS > 0) || !(ENFORCE_TICK_SECONDS > 0)) throw new Error('NASMON_TICK_SECONDS and NASMON_ENFORCE_TICK_SECONDS must be positive numbers');
  // The fixed or pinned ports first, so a clash is reported before anything is built or started.
  const sim = await startDemoSimulator(portFromEnv(env, 'NASMON_SIMULATOR_PORT', 8089));
  const httpPort = async (name: string, what: string) => {
    const asked = portFromEnv(env, name, 0);
    return {port: await claimPort(asked, what, name), pinned: asked !== 0};
  };
  const gatePort = await httpPort('NASMON_GATE_PORT', 'the gate (nasJobsApi)');
  const dashboardPort = await httpPort('NASMON_DASHBOARD_PORT', 'the dashboard');
  const {slack, smtp} = await startSinks();

  const buildSeconds = await buildFunctions(line => console.log(line));
  console.log(`built in ${buildSeconds.toFixed(1)} s; starting the emulators, the functions and the sinks…`);
  emulators.push(startEmulator('firestore', launchers.firestore, await freePort(), LOG_DIR, process.pid));
  emulators.push(startEmulator('pubsub', launchers.pubsub, await freePort(), LOG_DIR, process.pid));
  loadOrCreateLocalIssuer(env.NASMON_LOCAL_ISSUER_DIR?.trim() || DEFAULT_LOCAL_ISSUER_DIR); // before the gate and any token
  await Promise.all(emulators.map(emulator => waitUntilReady(emulator)));
  const [firestoreHost, pubsubHost] = [emulators[0]!.host, emulators[1]!.host];
  const sharedEnv = {
    GOOGLE_CLOUD_PROJECT: PROJECT, FIRESTORE_EMULATOR_HOST: firestoreHost, PUBSUB_EMULATOR_HOST: pubsubHost,
    VERTEX_API_ENDPOINT: sim.url, NASMON_VERTEX_STATIC_TOKEN: 'local-simulator',
    NASMON_TARGETS: DEMO_TARGETS.map(t => `${t.project}/${t.location}`).join(','),
  };
  await startFunctions({
    ...sharedEnv, METADATA_SERVER_DETECTION: 'none', NASMON_POLICY: POLICY_FILE, NASMON_POLL_INTERVAL_SECONDS: '2',
    NASMON_AUTH_MODE: 'local', NASMON_DASHBOARD_AUTH: 'none',
    NASMON_SLACK_WEBHOOKS: JSON.stringify(slack.webhooks), NASMON_SMTP_URL: smtp.url,
    NASMON_EMAIL_FROM: 'nasmon <nasmon@example.com>', NASMON_NOTIFY_GROUP_SECONDS: '0',
  }, {nasJobsApi: gatePort, dashboard: dashboardPort});

  process.env.PUBSUB_EMULATOR_HOST = pubsubHost;
  pubsub = new PubSub({projectId: PROJECT});
  const endpoints = Object.fromEntries(EVENT_TARGETS.map(target => [target, servers.find(s => s.target === target)!.url])) as Record<(typeof EVENT_TARGETS)[number], string>;
  const wiring = await wirePubSub(pubsub, PROJECT, endpoints, text => void (stopping || console.error(`!!! ${text}`)));
  ({eventLog, stopBridge} = wiring);
  const jobs = await seedDemoWorkload(sim.url);

  console.log(bannerLines({
    startupSeconds: (Date.now() - startedMs) / 1000, simulatorUrl: sim.url, firestoreHost, pubsubHost, servers,
    slackUrl: `http://127.0.0.1:${slack.port}`, smtpUrl: smtp.url, logDir: LOG_DIR, policyFile: POLICY_FILE,
    tickSeconds: TICK_SECONDS, enforceTickSeconds: ENFORCE_TICK_SECONDS, jobs, env: sharedEnv,
  }).join('\n'));
  const names = eventNamesOf(jobs);
  wiring.eventLog.on('message', message => {
    console.log(formatEventLine(message, names));
    message.ack();
  });
  wiring.eventLog.on('error', error => console.error(`!!! event log: ${error.message}`));
  const tick = (topic: string) => void pubsub?.topic(topic).publishMessage({json: {}}).catch(error => console.error(`!!! tick on ${topic} failed: ${error}`));
  tick(TOPICS.ticks);
  tickers.push(setInterval(() => tick(TOPICS.ticks), TICK_SECONDS * 1000));
  tickers.push(setInterval(() => tick(TOPICS.enforceTicks), ENFORCE_TICK_SECONDS * 1000));
}

/** The NAS simulator on `port`, real-time clock and the demo's short durations. */
async function startDemoSimulator(port: number): Promise<RunningSimulator> {
  simulator = await startSimulator({port, timeScale: 1}).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'EADDRINUSE'
      ? `port ${port} for the NAS simulator is already in use (is another \`npm start\` running?); set NASMON_SIMULATOR_PORT to another port (0 picks a free one)`
      : `the NAS simulator could not start: ${error.message}`);
  });
  await configureDemoSimulator(simulator.url);
  return simulator;
}

/** The Slack and SMTP sinks, printing to the console and writing LOG_DIR/{slack,mail}.jsonl afresh. */
async function startSinks(): Promise<{slack: SlackSink; smtp: SmtpSink}> {
  mkdirSync(LOG_DIR, {recursive: true});
  for (const file of ['slack.jsonl', 'mail.jsonl']) rmSync(join(LOG_DIR, file), {force: true});
  const print = (line: string) => console.log(line);
  sinks.slack = await startSlackSink(['vision', 'speech'], portFromEnv(env, 'NASMON_SLACK_SINK_PORT', 0), join(LOG_DIR, 'slack.jsonl'), print);
  sinks.smtp = await startSmtpSink(portFromEnv(env, 'NASMON_SMTP_SINK_PORT', 0), join(LOG_DIR, 'mail.jsonl'), print);
  return {slack: sinks.slack, smtp: sinks.smtp};
}

/** One functions-framework server per entry point; the HTTP ones on their claimed ports. */
async function startFunctions(functionEnv: Record<string, string>, ports: Record<'nasJobsApi' | 'dashboard', {port: number; pinned: boolean}>): Promise<void> {
  const specs = [
    {target: 'nasJobsApi', ...ports.nasJobsApi}, {target: 'dashboard', ...ports.dashboard},
    ...await Promise.all(EVENT_TARGETS.map(async target => ({target, port: await freePort(), pinned: false}))),
  ];
  // Every server is in `servers` from its start, so that a stop reaches it; a retry replaces a failed one.
  const started = (server: FunctionServer, replaces?: FunctionServer) => {
    const index = replaces ? servers.indexOf(replaces) : -1;
    if (index >= 0) servers[index] = server;
    else servers.push(server);
  };
  const serving = await Promise.all(specs.map(({target, port, pinned}) =>
    startServing(next => startFunctionServer(target, next, functionEnv, LOG_DIR), port, {pinned, freePort, started})));
  for (const server of serving) server.child.once('exit', code => void (stopping || console.error(`!!! ${server.target} exited (code ${code}); see ${server.logFile ?? LOG_DIR}`)));
}

async function stop(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const t0 = Date.now();
  const started = simulator !== undefined || sinks.slack !== undefined || emulators.length > 0 || servers.length > 0;
  if (code === 0) console.log(`\n${reason}: stopping the local stack…`);
  else console.error(`\n${reason}${started ? '\nstopping what had started…' : ''}`);
  for (const ticker of tickers) clearInterval(ticker);
  const bounded = (work: Promise<unknown> | undefined) => Promise.race([work?.catch(() => undefined), new Promise(resolve => setTimeout(resolve, 3000))]);
  await bounded(Promise.all([eventLog?.close(), stopBridge?.()]));
  await bounded(pubsub?.close());
  await Promise.all([
    stopFunctionServers(servers), stopEmulators(emulators), bounded(simulator?.close()), bounded(sinks.slack?.close()), bounded(sinks.smtp?.close()),
  ]);
  if (started) console.log(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal, 0));
// `npm start` runs this under `sh -c`, which does not pass on the SIGTERM npm forwards to it: when
// the parent goes, this process is re-parented, and takes that as the signal to stop.
const parentPid = process.ppid;
setInterval(() => void (process.ppid !== parentPid && stop('npm start was stopped', 0)), 500).unref();
main().catch(error => void stop(`!!! npm start failed: ${error instanceof Error ? error.message : String(error)}`, 1));
