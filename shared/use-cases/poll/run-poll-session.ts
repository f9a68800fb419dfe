import type {Target} from '../../config.js';
import {LeaseLostError} from '../../ports/poll-store.js';
import {runPollCycle, type CycleReport, type PollCycleDeps, type PollCycleSettings} from './run-poll-cycle.js';

export interface PollSessionDeps extends PollCycleDeps {
  readonly sleep: (ms: number) => Promise<void>;
  /** A unique id of this invocation: the lease holder. */
  readonly holder: string;
}

export interface PollSessionSettings extends PollCycleSettings {
  /** How long this invocation keeps polling: most of the time until the next scheduler tick. */
  readonly sessionMs: number;
  readonly intervalMs: number;
}

export type SessionOutcome =
  | {readonly kind: 'lease-held'}
  | {readonly kind: 'done'; readonly cycles: readonly CycleReport[]; readonly failures: number; readonly leaseLost: boolean};

/**
 * Polls one target every `intervalMs` for `sessionMs`, under the target's lease, so detection does
 * not wait for the next one-minute tick. A failed cycle is logged and the next one tries again; a
 * lost lease ends the session at once (another poller owns the target now).
 */
export async function runPollSession(target: Target, deps: PollSessionDeps, settings: PollSessionSettings): Promise<SessionOutcome> {
  const begin = deps.now().getTime();
  // The lease outlives the session a little, so a slow last cycle is still covered.
  const leaseMs = settings.sessionMs + settings.intervalMs + 15_000;
  if (!(await acquireWithin(target, deps, leaseMs, settings.intervalMs))) {
    deps.log.info('target is being polled by another invocation', {target: `${target.project}/${target.location}`});
    return {kind: 'lease-held'};
  }
  const cycles: CycleReport[] = [];
  let failures = 0;
  let leaseLost = false;
  try {
    for (;;) {
      const cycleStart = deps.now().getTime();
      try {
        cycles.push(await runPollCycle(target, deps.holder, deps, settings));
      } catch (error) {
        if (error instanceof LeaseLostError) {
          leaseLost = true;
          deps.log.warn('lease lost; stopping this session', {target: `${target.project}/${target.location}`});
          break;
        }
        failures += 1;
        deps.log.error('poll cycle failed; the next cycle retries', {target: `${target.project}/${target.location}`, error: error as Error});
      }
      const next = cycleStart + settings.intervalMs;
      if (next - begin >= settings.sessionMs) break;
      await deps.sleep(Math.max(0, next - deps.now().getTime()));
    }
  } finally {
    if (!leaseLost) await deps.store.releaseLease(target, deps.holder).catch(() => undefined); // it expires anyway
  }
  return {kind: 'done', cycles, failures, leaseLost};
}

// The previous session may still be finishing its last cycle when the next tick arrives; waiting up
// to one interval for its lease keeps the target polled instead of skipping a whole period.
async function acquireWithin(target: Target, deps: PollSessionDeps, leaseMs: number, waitMs: number): Promise<boolean> {
  const deadline = deps.now().getTime() + waitMs;
  for (;;) {
    if (await deps.store.acquireLease(target, deps.holder, leaseMs)) return true;
    if (deps.now().getTime() >= deadline) return false;
    await deps.sleep(1000);
  }
}
