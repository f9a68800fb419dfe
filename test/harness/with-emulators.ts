// `npm test` runs through this wrapper: it starts the Firestore and Pub/Sub emulators (unless
// FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST are already set), runs the command given
// (vitest) with them, and stops both process groups however the run ends.
import {spawn} from 'node:child_process';
import {
  findEmulatorLaunchers, freePort, QUICK_JIT_JAVA_OPTIONS, startEmulator, stopEmulators, waitUntilReady, type RunningEmulator,
} from './emulator-processes.js';
import {EMULATORS_MISSING_ENV} from './emulators.js';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-emulators COMMAND [ARGS…]');
  process.exit(2);
}

const offlineEnv = {
  CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
  CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
  METADATA_SERVER_DETECTION: 'none', // never probe the GCE metadata server off loopback
  GOOGLE_CLOUD_PROJECT: process.env.GOOGLE_CLOUD_PROJECT ?? 'demo-nasmon',
};

const started: RunningEmulator[] = [];
let stopping: Promise<void> | undefined;
const stopAll = () => (stopping ??= stopEmulators(started));

async function prepareEnvironment(): Promise<Record<string, string>> {
  if (process.env.FIRESTORE_EMULATOR_HOST && process.env.PUBSUB_EMULATOR_HOST) return {};
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) {
    console.error(`\n!!! nasmon tests: EMULATOR TESTS SKIPPED — ${launchers.missing}. Firestore and Pub/Sub tests will be reported as skipped, never as passed.\n`);
    return {[EMULATORS_MISSING_ENV]: launchers.missing};
  }
  const logDir = process.env.NASMON_EMULATOR_LOGS ?? 'test-artifacts/emulator-logs';
  const [firestorePort, pubsubPort] = [await freePort(), await freePort()];
  // C1 only: a test run is short, and the C2 compiler's CPU would come out of the tests' (8–15 %
  // of the wall time of the gate and poller integration files on 2 cores).
  started.push(startEmulator('firestore', launchers.firestore, firestorePort, logDir, process.pid, 'firestore', QUICK_JIT_JAVA_OPTIONS));
  started.push(startEmulator('pubsub', launchers.pubsub, pubsubPort, logDir, process.pid, 'pubsub', QUICK_JIT_JAVA_OPTIONS));
  const t0 = Date.now();
  await Promise.all(started.map(emulator => waitUntilReady(emulator)));
  console.error(`emulators ready in ${Date.now() - t0} ms: firestore ${started[0]?.host}, pubsub ${started[1]?.host} (logs in ${logDir})`);
  return {FIRESTORE_EMULATOR_HOST: started[0]!.host, PUBSUB_EMULATOR_HOST: started[1]!.host};
}

async function main(): Promise<number> {
  const env = {...process.env, ...offlineEnv, ...(await prepareEnvironment())};
  const child = spawn(command[0]!, command.slice(1), {stdio: 'inherit', env, shell: false});
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>(resolve => {
    child.on('error', error => {
      console.error(`could not run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1)));
  });
  await stopAll();
  return code;
}

main().then(
  code => process.exit(code),
  async error => {
    console.error(`with-emulators: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
