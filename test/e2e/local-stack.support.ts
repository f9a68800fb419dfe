// `npm start` as a user runs it, from a test: the command in a child process of its own process
// group, its output collected line by line (and kept in a file), the process tree it grew, and
// the Pub/Sub, simulator and sink files it reports in its banner.
import {spawn, execFileSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The repository's root, where `npm start` runs. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One process of the stack's tree. */
export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly stat: string;
  readonly args: string;
}

/** A running `npm start`. */
export interface StackRun {
  readonly child: ChildProcess;
  /** Every line printed so far, stdout and stderr interleaved as they came. */
  readonly lines: string[];
  /** Resolves with the first line matching `pattern`; rejects on timeout or once the output has ended. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the command has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** Starts `npm start` with `env` on top of a clean environment; its output also goes to `outFile`. */
export function startNpmStart(env: Record<string, string>, outFile: string): StackRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) =>
    !key.startsWith('NASMON_') && key !== 'FIRESTORE_EMULATOR_HOST' && key !== 'PUBSUB_EMULATOR_HOST'));
  writeFileSync(outFile, '');
  const child = spawn('npm', ['start'], {cwd: ROOT, env: {...base, NO_COLOR: '1', ...env}, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  // The output ends when every process holding the pipes has ended: npm, and the stack under it.
  let openStreams = 2;
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      appendFileSync(outFile, chunk);
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      for (const wake of waiters) wake();
    });
    stream.on('end', () => {
      if (rest) lines.push(rest);
      openStreams -= 1;
      for (const wake of waiters) wake();
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<number | NodeJS.Signals>(resolve => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const waitForLine = (pattern: RegExp, timeoutMs: number) => new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = lines.find(line => pattern.test(line));
      if (found !== undefined) finish(() => resolve(found));
      else if (openStreams === 0) finish(() => reject(new Error(`npm start ended (${child.exitCode ?? child.signalCode}) before printing ${pattern}; see ${outFile}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`npm start printed no line matching ${pattern} within ${timeoutMs} ms; see ${outFile}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      waiters.delete(check);
      settle();
    };
    waiters.add(check);
    check();
  });
  return {child, lines, waitForLine, exited};
}

/** The value after `label` in the banner line that starts with it (`  dashboard   http://…`). */
export function bannerValue(lines: readonly string[], label: string): string {
  const line = lines.find(l => l.startsWith(`  ${label} `));
  const value = line?.slice(label.length + 2).trim().split(/\s+/)[0];
  if (!value) throw new Error(`the banner has no "${label}" line`);
  return value.replace(/\/$/, '');
}

/** Every process below `rootPid` (at any depth), from `ps`. */
export function processTree(rootPid: number): Proc[] {
  const all = listProcesses();
  const tree: Proc[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const proc of all.filter(p => p.ppid === parent)) {
      tree.push(proc);
      queue.push(proc.pid);
    }
  }
  return tree;
}

/** Those of `procs` that still run (zombies waiting for their parent do not count), matched by pid and command. */
export function stillRunning(procs: readonly Proc[]): Proc[] {
  const now = new Map(listProcesses().map(p => [p.pid, p]));
  return procs.filter(p => {
    const current = now.get(p.pid);
    return current !== undefined && !current.stat.startsWith('Z') && current.args === p.args;
  });
}

/** Sends `signal` to each process group and each process of `procs`; gone ones are skipped. */
export function signalAll(procs: readonly Proc[], signal: NodeJS.Signals): void {
  for (const id of new Set([...procs.map(p => -p.pgid), ...procs.map(p => p.pid)])) {
    try {
      process.kill(id, signal);
    } catch {
      // already gone
    }
  }
}

function listProcesses(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], {encoding: 'utf8', maxBuffer: 16 * 1024 * 1024});
  return out.split('\n').flatMap(line => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    return m ? [{pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), stat: m[4]!, args: m[5]!}] : [];
  });
}

/** The JSON lines a sink appended to `file` so far. */
export function sinkEntries(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>);
}

/** A fresh folder under test-artifacts/. */
export function artifactDir(name: string): string {
  const dir = join(ROOT, 'test-artifacts', name);
  mkdirSync(dir, {recursive: true});
  return dir;
}

/** Waits until `condition` holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
