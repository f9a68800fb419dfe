import type {Target} from '../../config.js';
import {LeaseBusyError, LeaseLostError} from '../../ports/poll-store.js';
import {runPollCycle, type CycleReport, type PollCycleDeps, type PollCycleSettings} from './run-poll-cycle.js';

export interface PollSessionDeps extends PollCycleDeps {
  readonly sleep: (ms: number) => Promise<void>;
  /** A unique id of this invocation: the lease holder. */
  readonly holder: string;
  /**
   * The id of the message this session was started for. A session started again for the same
   * message takes over its predecessor's lease at once: Pub/Sub redelivers only what was never
   * acknowledged, so the predecessor died (PollStore.acquireLease).
   */
  readonly delivery?: string;
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
  // The lease outlives the session a little, so a slow last cycle is still covered. It ends at the
  // same instant however long the wait for it was, or it would hold off the next tick's session.
  const leaseEndsMs = begin + settings.sessionMs + settings.intervalMs + LEASE_SLACK_MS;
  if (!(await acquireWithin(target, deps, leaseEndsMs, settings.intervalMs + LEASE_SLACK_MS))) {
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

/**
 * For a message delivered again after its period is over, which is dropped: its first delivery was
 * never acknowledged, so the session that delivery started died. Were its lease left to run out, the
 * current tick's session (perhaps waiting for it already) would lose up to an interval plus the
 * slack; so the lease is taken for this delivery, if it was that session's, and released at once.
 * The lease is taken for a millisecond only: whatever happens next, it is not in anyone's way.
 * Returns whether a lease was released (that session's, or one that had run out anyway).
 */
export async function releaseStaleDelivery(target: Target, deps: Pick<PollSessionDeps, 'store' | 'holder' | 'delivery'>): Promise<boolean> {
  if (deps.delivery === undefined) return false;
  const heldBefore = await deps.store.leaseExpiry(target);
  if (heldBefore === undefined || !(await deps.store.acquireLease(target, deps.holder, 1, deps.delivery))) return false;
  await deps.store.releaseLease(target, deps.holder);
  return true;
}

/** How long a session's lease outlives its last planned cycle (a slow cycle still writes under it). */
const LEASE_SLACK_MS = 15_000;

// When the next tick arrives, the previous session may still be finishing a slow last cycle, or may
// have died holding its lease (an instance killed, out of memory). Either way its lease ends within
// one interval plus the slack, so waiting that long keeps the target polled instead of skipping a
// whole period; an early release is taken at once. A lease that runs past the wait belongs to a
// session in full swing (a duplicate or redelivered tick), or to one that died early in its period:
// that one is left alone at once, unless this is a second delivery of the dead session's own
// message, which acquireLease hands the lease to.
async function acquireWithin(target: Target, deps: PollSessionDeps, leaseEndsMs: number, waitMs: number): Promise<boolean> {
  // Ticks are not exactly a period apart: a few seconds more keep a late handover from looking like a duplicate.
  const deadline = deps.now().getTime() + waitMs + 5_000;
  for (;;) {
    try {
      if (await deps.store.acquireLease(target, deps.holder, Math.max(1, leaseEndsMs - deps.now().getTime()), deps.delivery)) return true;
    } catch (error) {
      // A lock left by a session killed mid-transaction is a dead holder too: keep trying inside the
      // wait rather than fail, so Pub/Sub's retry (10 s later, if the instance is not killed again)
      // is not all that stands between the target and its poller.
      if (!(error instanceof LeaseBusyError) || deps.now().getTime() >= deadline) throw error;
      deps.log.warn('the lease is locked by another transaction; trying again', {target: `${target.project}/${target.location}`, error: error as Error});
      await deps.sleep(1000);
      continue;
    }
    const heldUntil = await deps.store.leaseExpiry(target);
    if ((heldUntil !== undefined && heldUntil > deadline) || deps.now().getTime() >= deadline) return false;
    await deps.sleep(1000);
  }
}
