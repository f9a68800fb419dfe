// The Firestore and Pub/Sub emulators for the benchmark scripts: reuse the ones named by
// FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST, or start our own with the test harness's launcher
// (own session + watchdog, so they die with this process even on SIGKILL).
import {
  findEmulatorLaunchers, freePort, startEmulator, stopEmulators, waitUntilReady, type RunningEmulator,
} from '../../test/harness/emulator-processes.js';

/** Emulators in use; `stop` ends only the ones this process started. */
export interface BenchEmulators {
  readonly started: boolean;
  stop(): Promise<void>;
}

/** Makes both emulator hosts available in process.env before any Google client is built. */
export async function useEmulators(logDir: string): Promise<BenchEmulators> {
  // The Google clients must never look for real credentials or the metadata server here.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  if (process.env.FIRESTORE_EMULATOR_HOST && process.env.PUBSUB_EMULATOR_HOST) {
    return {started: false, stop: async () => undefined};
  }
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) throw new Error(`cannot start the emulators: ${launchers.missing}`);
  const running: RunningEmulator[] = [];
  try {
    if (!process.env.FIRESTORE_EMULATOR_HOST) {
      running.push(startEmulator('firestore', launchers.firestore, await freePort(), logDir, process.pid));
    }
    if (!process.env.PUBSUB_EMULATOR_HOST) {
      running.push(startEmulator('pubsub', launchers.pubsub, await freePort(), logDir, process.pid));
    }
    await Promise.all(running.map(emulator => waitUntilReady(emulator)));
  } catch (error) {
    await stopEmulators(running);
    throw error;
  }
  for (const emulator of running) {
    process.env[emulator.name === 'firestore' ? 'FIRESTORE_EMULATOR_HOST' : 'PUBSUB_EMULATOR_HOST'] = emulator.host;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopEmulators(running);
  };
  return {started: running.length > 0, stop};
}

/** Deletes every document of one Firestore project in the emulator. */
export async function resetFirestoreProject(projectId: string): Promise<void> {
  const url = `http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
  const response = await fetch(url, {method: 'DELETE'});
  if (!response.ok) throw new Error(`Firestore reset of ${projectId} failed: ${response.status} ${await response.text()}`);
}
