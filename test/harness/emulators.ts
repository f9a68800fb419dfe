// Test-side view of the emulators that `npm test` started: whether they are there, a Firestore
// per test file, and unique Pub/Sub names (the Pub/Sub emulator has no reset).
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {describe} from 'vitest';

/** Set by the harness when the machine cannot run the emulators; holds the reason. */
export const EMULATORS_MISSING_ENV = 'NASMON_EMULATORS_MISSING';

/** Why emulator tests cannot run here, or undefined when they can. */
export function emulatorsUnavailable(): string | undefined {
  const missing = process.env[EMULATORS_MISSING_ENV];
  if (missing) return missing;
  if (!process.env.FIRESTORE_EMULATOR_HOST || !process.env.PUBSUB_EMULATOR_HOST) {
    return 'FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST are not set (run the suite with `npm test`)';
  }
  return undefined;
}

/** `describe` that needs both emulators; skipped with one loud line when they are absent. */
export function describeWithEmulators(name: string, body: () => void): void {
  const reason = emulatorsUnavailable();
  if (reason) console.warn(`!!! SKIPPED "${name}": needs the Firestore and Pub/Sub emulators — ${reason}`);
  describe.skipIf(reason !== undefined)(name, body);
}

/** A Firestore project id of the test file's own, so parallel files never wipe each other's data. */
export function testProjectId(fileUrl: string): string {
  const base = fileUrl.split('/').pop()!.replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return `demo-${base}`.slice(0, 30).replace(/-$/, '');
}

/** A Firestore client on the emulator, for one test file's project. */
export function emulatorFirestore(projectId: string): Firestore {
  return new Firestore({projectId});
}

/** Deletes every document of the project in the emulator. */
export async function resetFirestore(projectId: string): Promise<void> {
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  const url = `http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
  const response = await fetch(url, {method: 'DELETE'});
  if (!response.ok) throw new Error(`Firestore reset failed: ${response.status} ${await response.text()}`);
}

/** A Pub/Sub client on the emulator. */
export function emulatorPubSub(projectId: string): PubSub {
  return new PubSub({projectId});
}

/** A topic or subscription name no other run has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
