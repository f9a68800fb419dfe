// One Cloud Function in a functions-framework process of its own, run from the TypeScript sources
// through tsx (no build needed), configured only from the environment as when deployed. Tests that
// need the process itself to die (the crash points SIGKILL it) cannot use the in-process test server.
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {freePort} from '../harness/emulator-processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FRAMEWORK_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js';

/** A function server process. */
export interface FunctionProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every line it printed so far, stdout and stderr. */
  readonly lines: string[];
  /** Resolves when the process has ended, with its exit code or the signal that ended it. */
  readonly ended: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
  stop(): Promise<void>;
}

/**
 * Starts `target` with exactly `env` on top of the test run's emulator and offline settings (no
 * other NASMON_ variable leaks in), and resolves once it answers HTTP.
 */
export async function startFunctionProcess(target: string, env: Record<string, string>): Promise<FunctionProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NASMON_') && !['K_SERVICE', 'FUNCTION_NAME'].includes(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', FRAMEWORK_MAIN, `--target=${target}`, `--port=${port}`, '--source=functions/index.ts'], {
    cwd: ROOT, env: {...inherited, METADATA_SERVER_DETECTION: 'none', ...env}, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => child.once('exit', (code, signal) => resolve({code, signal})));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${target} exited with ${child.exitCode} before serving:\n${lines.join('\n')}`);
    try {
      await fetch(url, {signal: AbortSignal.timeout(1000)}); // a cloudevent target answers GET / with 500: any answer will do
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${target} did not serve within 60 s:\n${lines.join('\n')}`);
      }
      await new Promise(resolve => setTimeout(resolve, 150));
    }
  }
  return {url, child, lines, ended, stop};
}

/** The JSON log lines a process printed (anything else it printed is skipped). */
export function jsonLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.flatMap(line => {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}
