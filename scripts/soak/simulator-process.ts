// The NAS simulator in a process of its own (so its memory is measured apart from the soak's), in a
// session of its own under the same kind of watchdog as the emulators and function servers: one
// group kill stops it, and it stops by itself within a second when the soak dies without cleaning up.
import {spawn, type ChildProcess} from 'node:child_process';
import {createWriteStream} from 'node:fs';
import {stopFunctionServers} from '../local/function-servers.js';

/** A running simulator process. */
export interface SimulatorProcess {
  readonly url: string;
  /** The watchdog, leader of the simulator's process group. */
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `npm run simulator` on a free port, real-time clock, seeded with `seed`; output to `logFile`.
 * `clockOffsetSeconds` runs its clock that far ahead of (or, negative, behind) the real one.
 */
export async function startSimulatorProcess(seed: number, logFile: string, clockOffsetSeconds = 0): Promise<SimulatorProcess> {
  const log = createWriteStream(logFile);
  const command = `"${process.execPath}" --import tsx simulator/main.ts --port=0 --seed=${seed} --time-scale=1${clockOffsetSeconds ? ` --clock-offset=${clockOffsetSeconds}` : ''}`;
  const script = `${command} & child=$!
trap '' TERM
while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
kill -TERM $child 2>/dev/null
wait $child`;
  const child = spawn('bash', ['-c', script], {detached: true, stdio: ['ignore', 'pipe', 'pipe']});
  child.stderr!.pipe(log);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within 60 s; see ${logFile}`)), 60_000);
    child.once('exit', code => reject(new Error(`the simulator exited with ${code} before listening; see ${logFile}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const handle = {target: 'simulator', url, child};
  return {url, child, stop: () => stopFunctionServers([handle])};
}
