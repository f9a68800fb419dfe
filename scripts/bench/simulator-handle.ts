// The NAS simulator for a benchmark: in this process (startSimulator), or with `child` in a process
// of its own, so that process.cpuUsage and RSS show the poller alone and the simulator's CPU is read
// from /proc/<pid>/stat and reported apart.
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {startSimulator} from '../../simulator/server.js';

export interface SimulatorHandle {
  readonly url: string;
  /** CPU time the simulator has used so far, in ms; undefined when it runs in this process. */
  cpuMs(): number | undefined;
  close(): Promise<void>;
}

/** Starts the simulator with a frozen (timeScale 0) or real-time clock. */
export async function startBenchSimulator(options: {child: boolean; timeScale: number; seed: number}): Promise<SimulatorHandle> {
  if (!options.child) {
    const sim = await startSimulator({port: 0, seed: options.seed, timeScale: options.timeScale});
    return {url: sim.url, cpuMs: () => undefined, close: () => sim.close()};
  }
  const args = ['--import', 'tsx', 'simulator/main.ts', '--port=0', `--seed=${options.seed}`, `--time-scale=${options.timeScale}`];
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'inherit']});
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('exit', code => reject(new Error(`the simulator exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  // The child must not outlive us: kill it on any exit path, signals included.
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  const ticks = clockTicks();
  return {
    url,
    cpuMs() {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command) are utime and stime.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    },
    close: () => new Promise(resolve => {
      process.off('exit', kill);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      kill();
    }),
  };
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
  } catch {
    return 100;
  }
}
