// Starting and stopping the Firestore and Pub/Sub emulators from the Google Cloud CLI.
// Each emulator runs in its own session (setsid), so one group kill reaches gcloud's launcher
// and the java process it forks; a watchdog inside that session stops it when the parent dies,
// even if the parent is killed with SIGKILL and never runs its own cleanup.
import {spawn, execFileSync} from 'node:child_process';
import {createServer} from 'node:net';
import {existsSync, mkdirSync, openSync, realpathSync} from 'node:fs';
import {dirname, join} from 'node:path';

export type EmulatorName = 'firestore' | 'pubsub';

export interface RunningEmulator {
  readonly name: EmulatorName;
  readonly host: string;
  readonly pgid: number;
}

/** Where the emulator launchers live, or the reason they cannot be used on this machine. */
export function findEmulatorLaunchers(): {firestore: string; pubsub: string} | {missing: string} {
  const sdkRoot = findSdkRoot();
  if (!sdkRoot) return {missing: 'the Google Cloud CLI (gcloud) is not installed'};
  const firestore = join(sdkRoot, 'platform/cloud-firestore-emulator/cloud_firestore_emulator');
  const pubsub = join(sdkRoot, 'platform/pubsub-emulator/bin/cloud-pubsub-emulator');
  const absent = [firestore, pubsub].filter(path => !existsSync(path));
  if (absent.length > 0) {
    return {missing: `emulator components missing (${absent.join(', ')}); install google-cloud-cli-firestore-emulator and google-cloud-cli-pubsub-emulator`};
  }
  if (!commandExists('java')) return {missing: 'java is not installed (the emulators need Java 17+)'};
  return {firestore, pubsub};
}

function findSdkRoot(): string | undefined {
  const override = process.env.NASMON_GCLOUD_SDK_ROOT; // lets a test play a machine without the CLI
  if (override !== undefined) return existsSync(join(override, 'platform')) ? override : undefined;
  const fixed = '/usr/lib/google-cloud-sdk';
  if (existsSync(join(fixed, 'platform'))) return fixed;
  try {
    const gcloud = execFileSync('sh', ['-c', 'command -v gcloud'], {encoding: 'utf8'}).trim();
    return gcloud ? dirname(dirname(realpathSync(gcloud))) : undefined;
  } catch {
    return undefined;
  }
}

function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on loopback that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * JVM options that stop the emulators' JIT at its first tier (C1). Under load the Firestore
 * emulator's C2 compiler threads use more CPU than its request threads for minutes (bench:api,
 * per-thread CPU: 3.8 s of 7.2 s in ten seconds, after 4,000 warm-up calls); a test run is short, and
 * on a 2-core machine that CPU comes out of the tests' own.
 */
export const QUICK_JIT_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1';

/**
 * Starts one emulator in a new session that dies with `parentPid`; it logs to `logDir/{logName}.log`.
 * `javaOptions` are added to its JVM's (JAVA_TOOL_OPTIONS).
 */
export function startEmulator(name: EmulatorName, launcher: string, port: number, logDir: string, parentPid: number, logName: string = name, javaOptions?: string): RunningEmulator {
  mkdirSync(logDir, {recursive: true});
  const log = openSync(join(logDir, `${logName}.log`), 'w');
  const args = name === 'firestore'
    ? `--host=127.0.0.1 --port=${port} --database-mode=firestore-native`
    : `--host=127.0.0.1 --port=${port}`;
  // The watchdog loop is the session leader; it ends the whole group once the parent is gone.
  const script = `"${launcher}" ${args} & child=$!
while kill -0 ${parentPid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
kill -TERM -- -$$ 2>/dev/null`;
  const env = javaOptions ? {...process.env, JAVA_TOOL_OPTIONS: `${process.env.JAVA_TOOL_OPTIONS ?? ''} ${javaOptions}`.trim()} : process.env;
  const child = spawn('bash', ['-c', script], {detached: true, stdio: ['ignore', log, log], env});
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start the ${name} emulator`);
  return {name, host: `127.0.0.1:${port}`, pgid: child.pid};
}

/** Resolves when the emulator answers `Ok` on its root path, or rejects after `timeoutMs`. */
export async function waitUntilReady(emulator: RunningEmulator, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://${emulator.host}/`, {signal: AbortSignal.timeout(1000)});
      if ((await response.text()).trim() === 'Ok') return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 150));
  }
  throw new Error(`the ${emulator.name} emulator did not answer on ${emulator.host} within ${timeoutMs} ms`);
}

/** True while any non-zombie process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    const out = execFileSync('ps', ['-o', 'stat=', '-g', String(pgid)], {encoding: 'utf8'});
    return out.split('\n').some(line => line.trim() !== '' && !line.trim().startsWith('Z'));
  } catch {
    return false; // ps exits 1 when the group is empty
  }
}

/** TERM to every group, then KILL to whatever is still alive after `graceMs`. */
export async function stopEmulators(emulators: readonly RunningEmulator[], graceMs = 10_000): Promise<void> {
  for (const emulator of emulators) signalGroup(emulator.pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && emulators.some(e => groupAlive(e.pgid))) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  for (const emulator of emulators) if (groupAlive(emulator.pgid)) signalGroup(emulator.pgid, 'SIGKILL');
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}
