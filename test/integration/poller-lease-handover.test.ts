// The next tick's session and the lease of the one before it: a session that died holding its lease
// (an instance killed) or is finishing a slow last cycle must not cost the target a whole period, and
// a duplicate tick arriving while a session is in full swing must leave at once.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {releaseStaleDelivery, runPollSession} from '../../shared/use-cases/poll/run-poll-session.js';
import {LeaseBusyError} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {DEFAULT_SETTINGS, startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
const SETTINGS = {...DEFAULT_SETTINGS, sessionMs: 2_000, intervalMs: 1_000};

describeWithEmulators('the lease between one session and the next', () => {
  let f: PollerFixture;
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.admin('POST', 'jobs:seed', {...TARGET, count: 2, scenarioMix: {succeed: 1}});
  });
  afterAll(async () => f?.close());
  /** Every lease taken, as the instant it was to end. */
  const leaseEnds: number[] = [];
  const session = (holder: string, delivery?: string) => runPollSession(TARGET, {
    ...f.deps, now: () => new Date(), holder, ...(delivery === undefined ? {} : {delivery}), sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    store: {...f.store, async acquireLease(target, who, ttlMs, message) {
      const taken = await f.store.acquireLease(target, who, ttlMs, message);
      if (taken) leaseEnds.push(Date.now() + ttlMs);
      return taken;
    }},
  }, SETTINGS);

  it('takes over the lease of a session that died holding it, once that lease ends', async () => {
    expect(await f.store.acquireLease(TARGET, 'killed-instance', 3_000)).toBe(true);
    const started = Date.now();
    const outcome = await session('next-tick');
    expect(outcome).toMatchObject({kind: 'done', failures: 0, leaseLost: false});
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_500); // it waited for the lease to end
    // Its own lease ends where a session that got it at once would have: the wait does not push it
    // into the next tick's period (session + interval + 15 s slack after the session began).
    expect(leaseEnds.at(-1)! - started).toBeLessThanOrEqual(SETTINGS.sessionMs + SETTINGS.intervalMs + 15_000 + 500);
    expect(leaseEnds.at(-1)! - started).toBeGreaterThan(SETTINGS.sessionMs + SETTINGS.intervalMs + 15_000 - 1_500);
    expect(await f.store.leaseExpiry(TARGET)).toBeUndefined(); // and released its own
  });

  it('takes over at once the lease of a session that died, when its message is delivered again', async () => {
    expect(await f.store.acquireLease(TARGET, 'killed-instance', 120_000, 'message-7')).toBe(true);
    const started = Date.now();
    expect(await session('redelivery', 'message-7')).toMatchObject({kind: 'done', failures: 0, leaseLost: false});
    expect(Date.now() - started).toBeLessThan(60_000); // it polled at once, not after the dead session's 120 s
    expect(await session('another-tick', 'message-8')).toMatchObject({kind: 'done'}); // and released the lease
  });

  it('hands back the lease of a dead session when its message comes again too late to poll, and only then', async () => {
    expect(await f.store.acquireLease(TARGET, 'killed-instance', 120_000, 'message-9')).toBe(true);
    const stale = (delivery: string) => releaseStaleDelivery(TARGET, {store: f.store, holder: `stale-${delivery}`, delivery});
    expect(await stale('message-10')).toBe(false); // another message's: its session may be alive
    expect(await f.store.leaseExpiry(TARGET)).toBeGreaterThan(Date.now() + 100_000);
    expect(await stale('message-9')).toBe(true);
    expect(await f.store.leaseExpiry(TARGET)).toBeUndefined();
    const started = Date.now();
    expect(await session('current-tick', 'message-11')).toMatchObject({kind: 'done', failures: 0, leaseLost: false});
    expect(Date.now() - started).toBeLessThan(60_000); // it polled at once, not after the dead session's 120 s
  });

  it('keeps trying for the lease while a dead transaction keeps it locked, then polls', async () => {
    let aborted = 0;
    const outcome = await runPollSession(TARGET, {
      ...f.deps, now: () => new Date(), holder: 'after-a-lock', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
      store: {...f.store, async acquireLease(target, who, ttlMs) {
        if (aborted++ < 2) throw new LeaseBusyError('lease locked by another transaction');
        return f.store.acquireLease(target, who, ttlMs);
      }},
    }, SETTINGS);
    expect(outcome).toMatchObject({kind: 'done', failures: 0, leaseLost: false});
    expect(aborted).toBe(3);
  });

  it('takes the lease as soon as a finishing session releases it', async () => {
    expect(await f.store.acquireLease(TARGET, 'finishing-session', 10_000)).toBe(true);
    const next = session('next-tick');
    await new Promise(resolve => setTimeout(resolve, 1_500));
    await f.store.releaseLease(TARGET, 'finishing-session');
    expect(await next).toMatchObject({kind: 'done', failures: 0});
  });

  it('leaves at once when the lease runs past the wait: a session in full swing, not a handover', async () => {
    expect(await f.store.acquireLease(TARGET, 'busy-session', 120_000)).toBe(true);
    const started = Date.now();
    expect(await session('duplicate-tick')).toEqual({kind: 'lease-held'});
    expect(Date.now() - started).toBeLessThan(2_000);
    await f.store.releaseLease(TARGET, 'busy-session');
  });
});
