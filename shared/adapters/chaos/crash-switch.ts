// The one place a process kills itself on purpose. The chaos soak arms crash points
// (NASMON_CRASH_POINTS, read by shared/config.ts) so a function dies exactly between two steps that
// a real crash could separate; the decorators of this folder put those points around the ports, so
// the core and the use cases never know. A crash is SIGKILL, as an OOM kill or a reclaimed instance
// is: no finally block, no graceful shutdown, no lease released.
import type {CrashPoint, CrashPoints} from '../../config.js';
import type {Logger} from '../../log.js';

/** Decides, at each crash point reached, whether the process dies there. */
export interface CrashSwitch {
  /** True when `point` can fire at all; decorators leave a port unwrapped otherwise. */
  armed(point: CrashPoint): boolean;
  /** Draws for `point`; on a hit logs one line naming it and kills the process: it never returns then. */
  reach(point: CrashPoint, detail?: Record<string, unknown>): void;
}

/** What the switch needs; tests replace `die` (and `random`) so the test process survives. */
export interface CrashSwitchOptions {
  readonly log: Logger;
  /** In [0, 1). */
  readonly random?: () => number;
  readonly die?: () => void;
}

/** A switch that never fires: the production path. */
export const NO_CRASHES: CrashSwitch = {armed: () => false, reach: () => undefined};

/** The switch for `points` (an empty map gives {@link NO_CRASHES}). */
export function createCrashSwitch(points: CrashPoints, options: CrashSwitchOptions): CrashSwitch {
  if (points.size === 0) return NO_CRASHES;
  const {log, random = Math.random, die = killThisProcess} = options;
  return {
    armed: point => (points.get(point) ?? 0) > 0,
    reach(point, detail = {}) {
      const probability = points.get(point) ?? 0;
      if (probability <= 0 || random() >= probability) return;
      // The one line the soak counts crashes by; stdout is written synchronously (file or pipe).
      log.error('crash point reached: killing this process (NASMON_CRASH_POINTS)', {crashPoint: point, probability, pid: process.pid, ...detail});
      die();
    },
  };
}

/** SIGKILL to this process, then the thread blocks, so not one more line of JavaScript runs. */
function killThisProcess(): void {
  process.kill(process.pid, 'SIGKILL');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
}
