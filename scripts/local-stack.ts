// `npm start`: the local stack. Today it is the Firestore and Pub/Sub emulators plus the NAS
// simulator with a small demo workload; later issues add the functions, scheduler and sinks.
// Ctrl-C or SIGTERM stops everything; the emulators also stop if this process is killed outright.
import {
  findEmulatorLaunchers, freePort, startEmulator, stopEmulators, waitUntilReady, type RunningEmulator,
} from '../test/harness/emulator-processes.js';
import {startSimulator, type RunningSimulator} from '../simulator/server.js';

const SIMULATOR_PORT = Number(process.env.NASMON_SIMULATOR_PORT ?? 8089);
const DEMO_TARGETS = [['demo-vision', 'us-central1'], ['demo-speech', 'europe-west4']] as const;

async function main(): Promise<void> {
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) {
    console.error(`nasmon needs the Firestore and Pub/Sub emulators: ${launchers.missing}.`);
    console.error('Install them with: apt-get install google-cloud-cli google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator openjdk-17-jre-headless');
    process.exit(1);
  }
  const emulators: RunningEmulator[] = [];
  let simulator: RunningSimulator | undefined;
  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping the local stack…`);
    await simulator?.close();
    await stopEmulators(emulators);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  const logDir = 'test-artifacts/local-stack';
  emulators.push(startEmulator('firestore', launchers.firestore, await freePort(), logDir, process.pid));
  emulators.push(startEmulator('pubsub', launchers.pubsub, await freePort(), logDir, process.pid));
  simulator = await startSimulator({port: SIMULATOR_PORT, timeScale: 60}).catch(error => {
    throw new Error(`the NAS simulator could not listen on port ${SIMULATOR_PORT} (${error.code ?? error.message}); set NASMON_SIMULATOR_PORT to a free port`);
  });
  await Promise.all(emulators.map(emulator => waitUntilReady(emulator)));
  for (const [project, location] of DEMO_TARGETS) {
    await fetch(`${simulator.url}/simulator/jobs:seed`, {
      method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({project, location, count: 4}),
    });
  }
  console.log('nasmon local stack is running:');
  console.log(`  NAS simulator        ${simulator.url}   (admin: ${simulator.url}/simulator/history)`);
  console.log(`  Firestore emulator   ${emulators[0]!.host}`);
  console.log(`  Pub/Sub emulator     ${emulators[1]!.host}`);
  console.log('Environment for nasmon processes:');
  console.log(`  export VERTEX_API_ENDPOINT=${simulator.url} FIRESTORE_EMULATOR_HOST=${emulators[0]!.host} PUBSUB_EMULATOR_HOST=${emulators[1]!.host}`);
  console.log(`  export NASMON_TARGETS=${DEMO_TARGETS.map(t => t.join('/')).join(',')} GOOGLE_CLOUD_PROJECT=demo-nasmon`);
  console.log('Ctrl-C stops everything.');
}

main().catch(error => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
