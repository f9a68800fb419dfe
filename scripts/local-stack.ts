// `npm start`: the whole local stack. The Firestore and Pub/Sub emulators, the NAS simulator with a
// demo workload on an accelerated clock, every function in its own functions-framework server wired
// through Pub/Sub push subscriptions as in production, a scheduler that ticks the poller, and a
// live one-line-per-event log. Ctrl-C or SIGTERM stops everything; the emulators also stop if this
// process is killed outright.
import {execFileSync} from 'node:child_process';
import {PubSub} from '@google-cloud/pubsub';
import {
  findEmulatorLaunchers, freePort, startEmulator, stopEmulators, waitUntilReady, type RunningEmulator,
} from '../test/harness/emulator-processes.js';
import {startSimulator, type RunningSimulator} from '../simulator/server.js';
import {seedDemoWorkload, DEMO_TARGETS} from './local/demo-workload.js';
import {formatEventLine} from './local/event-log.js';
import {startFunctionServer, stopFunctionServers, waitUntilServing, type FunctionServer} from './local/function-servers.js';
import {TOPICS, wirePubSub} from './local/topology.js';

const PROJECT = 'demo-nasmon';
const SIMULATOR_PORT = Number(process.env.NASMON_SIMULATOR_PORT ?? 8089);
const TICK_SECONDS = Number(process.env.NASMON_TICK_SECONDS ?? 60);
const LOG_DIR = 'test-artifacts/local-stack';

const emulators: RunningEmulator[] = [];
const servers: FunctionServer[] = [];
let simulator: RunningSimulator | undefined;
let pubsub: PubSub | undefined;
let ticker: NodeJS.Timeout | undefined;
let stopBridge: (() => Promise<void>) | undefined;
process.env.METADATA_SERVER_DETECTION ??= 'none'; // this process's own Pub/Sub client must not probe GCE

async function main(): Promise<void> {
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) {
    console.error(`nasmon needs the Firestore and Pub/Sub emulators: ${launchers.missing}.`);
    console.error('Install them with: apt-get install google-cloud-cli google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator openjdk-17-jre-headless');
    process.exit(1);
  }
  console.log('building the functions…');
  execFileSync('npm', ['run', 'build', '--silent'], {stdio: 'inherit'});
  emulators.push(startEmulator('firestore', launchers.firestore, await freePort(), LOG_DIR, process.pid));
  emulators.push(startEmulator('pubsub', launchers.pubsub, await freePort(), LOG_DIR, process.pid));
  simulator = await startSimulator({port: SIMULATOR_PORT, timeScale: 60}).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`port ${SIMULATOR_PORT} for the NAS simulator is taken (${error.code ?? error.message}); set NASMON_SIMULATOR_PORT to a free port`);
  });
  await Promise.all(emulators.map(emulator => waitUntilReady(emulator)));
  const [firestoreHost, pubsubHost] = [emulators[0]!.host, emulators[1]!.host];
  const env = {
    GOOGLE_CLOUD_PROJECT: PROJECT, FIRESTORE_EMULATOR_HOST: firestoreHost, PUBSUB_EMULATOR_HOST: pubsubHost,
    VERTEX_API_ENDPOINT: simulator.url, NASMON_VERTEX_STATIC_TOKEN: 'local-simulator', METADATA_SERVER_DETECTION: 'none',
    NASMON_TARGETS: DEMO_TARGETS.map(t => `${t.project}/${t.location}`).join(','),
  };
  Object.assign(process.env, {PUBSUB_EMULATOR_HOST: pubsubHost});
  for (const target of ['pollNasJobs', 'pollTarget']) servers.push(startFunctionServer(target, await freePort(), env, LOG_DIR));
  await Promise.all(servers.map(server => waitUntilServing(server)));
  pubsub = new PubSub({projectId: PROJECT});
  const wiring = await wirePubSub(pubsub, PROJECT, {pollNasJobs: servers[0]!.url, pollTarget: servers[1]!.url}, text => console.error(text));
  stopBridge = wiring.stopBridge;
  const eventLog = wiring.eventLog;
  const jobs = await seedDemoWorkload(simulator.url);
  printBanner(jobs, firestoreHost, pubsubHost, env);
  eventLog.on('message', message => {
    console.log(formatEventLine(message));
    message.ack();
  });
  const tick = () => void pubsub!.topic(TOPICS.ticks).publishMessage({json: {}}).catch(error => console.error(`tick failed: ${error}`));
  tick();
  ticker = setInterval(tick, TICK_SECONDS * 1000);
}

function printBanner(jobs: number, firestoreHost: string, pubsubHost: string, env: Record<string, string>): void {
  console.log(`
nasmon local stack is running (the simulated clock runs 60× real time):
  NAS simulator       ${simulator!.url}   true history: ${simulator!.url}/simulator/history
  Firestore emulator  ${firestoreHost}
  Pub/Sub emulator    ${pubsubHost}   topics: ${Object.values(TOPICS).join(', ')}
  pollNasJobs         ${servers[0]!.url}   (ticked every ${TICK_SECONDS} s)
  pollTarget          ${servers[1]!.url}
  logs                ${LOG_DIR}/
  demo workload       ${jobs} jobs on ${DEMO_TARGETS.length} targets
To point other tools at it: export ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}
Ctrl-C stops everything. Events as they happen:`);
}

async function stop(reason: string, code: number): Promise<never> {
  console.log(`\n${reason}: stopping the local stack…`);
  if (ticker) clearInterval(ticker);
  await stopBridge?.().catch(() => undefined);
  await pubsub?.close().catch(() => undefined);
  await stopFunctionServers(servers);
  await simulator?.close();
  await stopEmulators(emulators);
  process.exit(code);
}

process.once('SIGINT', () => void stop('SIGINT', 0));
process.once('SIGTERM', () => void stop('SIGTERM', 0));
main().catch(error => void stop(`npm start failed: ${error instanceof Error ? error.message : String(error)}`, 1));
