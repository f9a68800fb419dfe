// Emulators that can be killed and restarted on the same address during a run: the chaos soak's
// "Firestore emulator killed and restarted" and "Pub/Sub emulator killed and restarted". Clients
// connect through a TCP gate (tcp-gate.ts) whose port never changes, and the emulator process runs
// behind it, always on the same port of its own. A restart:
//   1. shuts the gate: every connection drops and new ones are refused, as with a dead server. No
//      client can write from here on, so what is exported next is exactly what was acknowledged;
//   2. Firestore: exports each project that must survive (the emulator keeps no data on disk);
//      Pub/Sub: runs the caller's `beforeKill`, which may take what the emulator still holds (a
//      durable Pub/Sub would deliver it after an outage; the emulator would die with it);
//   3. SIGKILLs the emulator's process group, as a crash would;
//   4. starts a new process on the same port and waits until it answers;
//   5. Firestore: imports the exports; Pub/Sub: runs the caller's `beforeReopen`, which re-creates
//      the topics and subscriptions (the Pub/Sub emulator keeps nothing, and messages it held are lost);
//   6. opens the gate once `downMs` have passed since step 1 — never earlier than the restart took.
// Clients never see the new emulator before its data is back, so a poller cannot mistake an empty
// database for a fresh start.
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {
  findEmulatorLaunchers, freePort, groupAlive, startEmulator, stopEmulators, waitUntilReady, type EmulatorName, type RunningEmulator,
} from './emulator-processes.js';
import {exportFirestoreProject, importFirestoreProject} from './firestore-export.js';
import {startTcpGate, type TcpGate} from './tcp-gate.js';

/** An emulator behind a gate. Its `host` (the gate) is what clients use; it survives restarts. */
export interface RestartableEmulator extends RunningEmulator {
  /** The process group of the emulator running now (a restart replaces it), so stopEmulators() works. */
  readonly pgid: number;
  /** The emulator process itself, reached without the gate (the harness's own calls go here). */
  readonly direct: RunningEmulator;
  readonly gate: TcpGate;
  /** Restarts so far. */
  readonly restarts: number;
  /** Firestore: the projects a restart keeps unless told otherwise. */
  readonly projects: readonly string[];
}

/** How to start a restartable emulator. */
export interface RestartableOptions {
  /** Where the emulator logs: `{name}.log`, then `{name}-restart-{n}.log` for each restart. */
  readonly logDir: string;
  /** The client-facing port (0 or unset: a free one). */
  readonly port?: number;
  /** The process the emulator dies with (its watchdog checks every second); default this one. */
  readonly parentPid?: number;
  /** Firestore: the projects whose data a restart keeps (each test file and the stack use their own). */
  readonly projects?: readonly string[];
}

/** What one restart did and how long each step took, in milliseconds. */
export interface RestartReport {
  readonly name: EmulatorName;
  /** How long clients were shut out: max(downMs, the restart's own time). */
  readonly outageMs: number;
  /** From shutting the gate to a new process that answers and holds the data again (or has run beforeReopen). */
  readonly restartMs: number;
  readonly exportMs: number;
  readonly beforeKillMs: number;
  readonly killMs: number;
  /** From spawning the new process to its first `Ok`. */
  readonly startMs: number;
  readonly importMs: number;
  readonly beforeReopenMs: number;
  /** Starts that failed (the port still held) before one served. */
  readonly failedStarts: number;
}

/** How to restart. */
export interface RestartOptions {
  /** The least time clients are kept out, from the moment the gate shuts (they are kept out longer if the restart takes longer). */
  readonly downMs: number;
  /** Where the new process logs and the exports go; default the log directory given at start. */
  readonly logDir?: string;
  /** Firestore: the projects to keep; default those given at start. */
  readonly projects?: readonly string[];
  /**
   * Runs after the gate shut and before the kill, with the old process's direct address: no client
   * can publish any more, so a caller can take what the emulator has accepted and not yet delivered.
   */
  readonly beforeKill?: (directHost: string) => Promise<void>;
  /**
   * Runs once the new process answers, before clients are let back in, with its direct address:
   * re-create the Pub/Sub topics and subscriptions here, e.g. with scripts/local/topology.ts's
   * wirePubSub over `new PubSub({projectId, apiEndpoint: directHost})` (stop the old wiring's bridges first).
   */
  readonly beforeReopen?: (directHost: string) => Promise<void>;
}

interface State {
  name: EmulatorName;
  launcher: string;
  directPort: number;
  logDir: string;
  parentPid: number;
  projects: readonly string[];
  current: RunningEmulator;
  gate: TcpGate;
  restarts: number;
}

const states = new WeakMap<RestartableEmulator, State>();

/** Starts `name` behind a gate and resolves once it answers through the gate. */
export async function startRestartableEmulator(name: EmulatorName, options: RestartableOptions): Promise<RestartableEmulator> {
  const launchers = findEmulatorLaunchers();
  if ('missing' in launchers) throw new Error(`cannot start the ${name} emulator: ${launchers.missing}`);
  const directPort = await freePort();
  const parentPid = options.parentPid ?? process.pid;
  const current = startEmulator(name, launchers[name], directPort, options.logDir, parentPid);
  await waitUntilReady(current);
  const gate = await startTcpGate(directPort, options.port ?? 0);
  const state: State = {name, launcher: launchers[name], directPort, logDir: options.logDir, parentPid, projects: options.projects ?? [], current, gate, restarts: 0};
  const emulator: RestartableEmulator = {
    name,
    host: `127.0.0.1:${gate.port}`,
    get pgid() {
      return state.current.pgid;
    },
    get direct() {
      return state.current;
    },
    gate,
    get restarts() {
      return state.restarts;
    },
    projects: state.projects,
  };
  states.set(emulator, state);
  return emulator;
}

/** Kills the emulator and starts it again on the same address (see the top of this file); if it throws, the gate stays shut. */
export async function restartEmulator(emulator: RestartableEmulator, options: RestartOptions): Promise<RestartReport> {
  const state = states.get(emulator);
  if (!state) throw new Error('restartEmulator takes an emulator from startRestartableEmulator');
  const logDir = options.logDir ?? state.logDir;
  const projects = options.projects ?? state.projects;
  if (state.name === 'firestore' && projects.length === 0) {
    throw new Error('restarting the Firestore emulator needs the projects whose data must survive (projects: [...])');
  }
  const n = state.restarts + 1;
  const shutAt = Date.now();
  await state.gate.shut();

  const exports: Array<{project: string; file: string}> = [];
  const exportDir = join(logDir, `firestore-export-${process.pid}-${n}`);
  if (state.name === 'firestore') {
    for (const project of projects) exports.push({project, file: await exportFirestoreProject(state.current.host, project, join(exportDir, project))});
  }
  const exportedAt = Date.now();
  await options.beforeKill?.(state.current.host);
  const drainedAt = Date.now();
  await stopEmulators([state.current], 0); // graceMs 0: straight to SIGKILL, as a crash
  const killedAt = Date.now();

  let failedStarts = 0;
  let startedAt = Date.now();
  for (;;) {
    startedAt = Date.now();
    const next = startEmulator(state.name, state.launcher, state.directPort, logDir, state.parentPid, `${state.name}-restart-${n}${failedStarts ? `-${failedStarts}` : ''}`);
    if (await servesOrDies(next)) {
      state.current = next;
      break;
    }
    // The port can still be held for a moment after the kill; the launcher then exits at once.
    if (++failedStarts >= 5) throw new Error(`the ${state.name} emulator did not come back on port ${state.directPort}; see ${logDir}`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  const readyAt = Date.now();
  for (const {project, file} of exports) await importFirestoreProject(state.current.host, project, file);
  if (exports.length > 0) rmSync(exportDir, {recursive: true, force: true}); // a long soak restarts many times
  const importedAt = Date.now();
  await options.beforeReopen?.(state.current.host);
  const restoredAt = Date.now();
  state.restarts = n;

  const waitMs = shutAt + options.downMs - Date.now();
  if (waitMs > 0) await new Promise(resolve => setTimeout(resolve, waitMs));
  await state.gate.open(state.directPort);
  return {
    name: state.name,
    outageMs: Date.now() - shutAt,
    restartMs: restoredAt - shutAt,
    exportMs: exportedAt - shutAt,
    beforeKillMs: drainedAt - exportedAt,
    killMs: killedAt - drainedAt,
    startMs: readyAt - startedAt,
    importMs: importedAt - readyAt,
    beforeReopenMs: restoredAt - importedAt,
    failedStarts,
  };
}

/** Stops restartable emulators: their processes, then their gates. */
export async function stopRestartableEmulators(emulators: readonly RestartableEmulator[]): Promise<void> {
  await stopEmulators(emulators.map(emulator => emulator.direct));
  await Promise.all(emulators.map(emulator => emulator.gate.close()));
}

// True once `emulator` answers `Ok`; false as soon as its process group is gone (it could not start).
async function servesOrDies(emulator: RunningEmulator, timeoutMs = 90_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://${emulator.host}/`, {signal: AbortSignal.timeout(1000)});
      if ((await response.text()).trim() === 'Ok') return true;
    } catch {
      if (!groupAlive(emulator.pgid)) return false;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  await stopEmulators([emulator], 0);
  return false;
}
