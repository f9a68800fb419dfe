// Runs each Cloud Function in its own functions-framework process, as Cloud Run would, over the
// built code. Each process leads its own group, so stopping it also stops anything it spawned.
import {spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream, mkdirSync} from 'node:fs';
import {join} from 'node:path';

export interface FunctionServer {
  readonly target: string;
  readonly url: string;
  readonly child: ChildProcess;
}

const FRAMEWORK_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js';

/** Starts `target` on `port` with `env`; its output goes to `logDir/{target}.log`. */
export function startFunctionServer(target: string, port: number, env: Record<string, string>, logDir: string): FunctionServer {
  mkdirSync(logDir, {recursive: true});
  const log = createWriteStream(join(logDir, `${target}.log`));
  const child = spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${target}`, `--port=${port}`, '--source=build/functions/index.js'], {
    env: {...process.env, ...env}, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return {target, url: `http://127.0.0.1:${port}`, child};
}

/** Waits until the server answers HTTP at all (a cloudevent target answers GET / with an error). */
export async function waitUntilServing(server: FunctionServer, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.target} exited with code ${server.child.exitCode}; see its log`);
    try {
      await fetch(server.url, {signal: AbortSignal.timeout(1000)});
      return;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 150));
    }
  }
  throw new Error(`${server.target} did not start within ${timeoutMs} ms`);
}

/** TERM to each server's group, KILL after `graceMs` to whatever is left. */
export async function stopFunctionServers(servers: readonly FunctionServer[], graceMs = 5000): Promise<void> {
  const alive = (server: FunctionServer) => server.child.exitCode === null && server.child.signalCode === null;
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
