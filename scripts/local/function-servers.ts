// Runs each Cloud Function in its own functions-framework process, as Cloud Run would, over the
// built code. Each process runs in a session of its own under a small watchdog (as the emulators
// do): one group kill stops it with anything it spawned, and it stops by itself within a second
// when the local stack dies without cleaning up (SIGKILL).
import {spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {createServer} from 'node:net';
import {Writable} from 'node:stream';
import {groupAlive} from '../../test/harness/emulator-processes.js';

export interface FunctionServer {
  readonly target: string;
  readonly url: string;
  /** Where its output goes (scripts/bench-api starts servers of its own, without one). */
  readonly logFile?: string;
  /** The watchdog, leader of the server's process group. */
  readonly child: ChildProcess;
}

const FRAMEWORK_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js';

/** How a server's output is kept. */
export interface ServerLogOptions {
  /** Continue the file instead of replacing it (a restarted server). */
  readonly append?: boolean;
  /** Stamp each line with the time it arrived, as Cloud Logging's `receiveTimestamp` does. */
  readonly receiveTime?: boolean;
}

/** Starts `target` on `port` with `env`; its output goes to `logDir/{target}.log`. */
export function startFunctionServer(target: string, port: number, env: Record<string, string>, logDir: string, options: ServerLogOptions = {}): FunctionServer {
  mkdirSync(logDir, {recursive: true});
  const logFile = join(logDir, `${target}.log`);
  const log = createWriteStream(logFile, {flags: options.append ? 'a' : 'w'});
  const command = `"${process.execPath}" ${FRAMEWORK_MAIN} --target=${target} --port=${port} --source=build/functions/index.js`;
  // The watchdog ignores the group's TERM (set after the fork, so the server does not inherit it):
  // a stop TERMs the group, the server exits, and so does the loop. When the local stack is gone,
  // it gives the server 5 s to exit on TERM, then KILLs the whole group, itself included.
  const script = `${command} & child=$!
trap '' TERM
while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
if kill -0 $child 2>/dev/null; then
  kill -TERM $child 2>/dev/null
  for _ in 1 2 3 4 5; do kill -0 $child 2>/dev/null || break; sleep 1; done
  kill -KILL -- -$$ 2>/dev/null
fi
wait $child`;
  const child = spawn('bash', ['-c', script], {env: {...process.env, ...env}, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
  if (options.receiveTime) {
    let open = 2;
    const done = () => void (--open === 0 && log.end());
    child.stdout!.pipe(stampLines(log, done));
    child.stderr!.pipe(stampLines(log, done));
  } else {
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  return {target, url: `http://127.0.0.1:${port}`, logFile, child};
}

// A JSON line gets `"receiveTimestamp"` as its first member; any other line an ISO time in front.
// `out` is shared by stdout and stderr: each stamper calls `ended` instead of ending it.
function stampLines(out: Writable, ended: () => void): Writable {
  let rest = '';
  const stamp = (line: string) => {
    const time = new Date().toISOString();
    return line.startsWith('{"') ? `{"receiveTimestamp":"${time}",${line.slice(1)}` : `${time} ${line}`;
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      if (lines.length > 0) out.write(lines.map(line => `${stamp(line)}\n`).join(''));
      done();
    },
    final(done) {
      if (rest) out.write(`${stamp(rest)}\n`);
      ended();
      done();
    },
  });
}

/** Waits until the server answers HTTP at all (a cloudevent target answers GET / with an error). */
export async function waitUntilServing(server: FunctionServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.target} exited with code ${server.child.exitCode}; see ${server.logFile ?? 'its log'}`);
    try {
      await fetch(server.url, {signal: AbortSignal.timeout(1000)});
      return;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 150));
    }
  }
  throw new Error(`${server.target} did not start within ${timeoutMs} ms; see ${server.logFile ?? 'its log'}`);
}

/** Options of {@link startServing}. */
export interface StartServingOptions {
  /** The user chose the port (NASMON_*_PORT): it is never moved. */
  readonly pinned: boolean;
  /** A free port for the next attempt. */
  readonly freePort: () => Promise<number>;
  /** Starts in all, the first included; default 3. */
  readonly attempts?: number;
  readonly timeoutMs?: number;
  /** Each server started, before it serves (so that a stop can reach it); the next one replaces a failed one. */
  readonly started?: (server: FunctionServer, replaces?: FunctionServer) => void;
}

/**
 * Starts a server with `start` and waits until it serves. A port picked free at start-up stays free
 * only until another process binds it, and `npm start` picks the gate's port before it builds and
 * starts the emulators (seconds): when the server exits before serving and its port is now taken,
 * it is started again on a fresh port, unless the port was pinned (a clash the user must move).
 */
export async function startServing(start: (port: number) => FunctionServer, port: number, options: StartServingOptions): Promise<FunctionServer> {
  const {pinned, attempts = 3} = options;
  let previous: FunctionServer | undefined;
  for (let attempt = 1; ; attempt++) {
    const server = start(port);
    options.started?.(server, previous);
    try {
      await waitUntilServing(server, options.timeoutMs);
      return server;
    } catch (error) {
      if (pinned || attempt >= attempts || server.child.exitCode === null || !(await portTaken(port))) throw error;
      previous = server;
      port = await options.freePort();
    }
  }
}

// Whether something else listens on `port` (on any address, as the functions framework binds it).
function portTaken(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

/** TERM to each server's group, KILL after `graceMs` to whatever is left of it. */
export async function stopFunctionServers(servers: readonly FunctionServer[], graceMs = 5000): Promise<void> {
  const alive = (server: FunctionServer) => server.child.pid !== undefined && groupAlive(server.child.pid);
  for (const server of servers) signal(server, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (servers.some(alive) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
  for (const server of servers.filter(alive)) signal(server, 'SIGKILL');
}

function signal(server: FunctionServer, name: NodeJS.Signals): void {
  try {
    process.kill(-server.child.pid!, name);
  } catch {
    // already gone
  }
}
