// The end-to-end proof: 200 simulated jobs through randomized lifecycles, with cancels and deletes
// made through the Vertex client while the clock runs, polled cycle by cycle. At the end, every
// job's Firestore history and received events must be exactly its true states at the poll instants.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, TARGET, trueHistory, type PollerFixture, type TrueJob} from './poller.support.js';
import {waitForTruth} from './poller-truth.support.js';

const projectId = testProjectId(import.meta.url);
const TERMINAL = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);
const ACTIVE_STEPS = 18;
const QUIET_STEPS = 3;

/** A small seeded PRNG (mulberry32), so a failing run can be replayed exactly. */
function prng(seed: number): (min: number, max: number) => number {
  let a = seed;
  return (min, max) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return min + Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (max - min + 1));
  };
}

const stateOf = (job: TrueJob) => (job.deleted ? 'DELETED' : job.states.at(-1)?.state ?? '');

describeWithEmulators('the poller against the simulator\'s true history', () => {
  let f: PollerFixture;
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    await f.admin('POST', 'quota', {readsPerMinute: 1e6, writesPerMinute: 1e6});
    // No cancel races: RUNNING > (CANCELLING) > SUCCEEDED looks exactly like RUNNING > SUCCEEDED to
    // any poller, so no skipped flag could be honest about it (a limit of polling, not of nasmon).
    // Shorter phases and 3-trial searches let most jobs finish within the run.
    await f.admin('POST', 'config', {
      cancelRaceProbability: 0, pendingSeconds: [60, 400], trialRunSeconds: [200, 700], capacityFailSeconds: [120, 900],
    });
    await f.admin('POST', 'jobs:seed', {
      project: TARGET.project, location: TARGET.location, count: 200, maxTrialCount: 3, maxParallelTrialCount: 2,
      scenarioMix: {'succeed': 0.55, 'fail-capacity': 0.12, 'fail-trials': 0.13, 'stuck-pending': 0.1, 'stuck-running': 0.1},
    });
  });
  afterAll(async () => f?.close());

  it('records every true transition once, in order, with honest skipped flags, through cancels and deletes', async () => {
    const random = prng(20_261_127);
    const settings = {sweepEveryMs: 20 * 60_000};
    const cancelled = new Set<string>();
    const deleted = new Set<string>();
    await f.cycle({}, settings);
    for (let step = 0; step < ACTIVE_STEPS + QUIET_STEPS; step++) {
      const seconds = step < ACTIVE_STEPS ? random(60, 300) : 900;
      const before = random(1, seconds - 1);
      await f.sim.advance(before);
      if (step < ACTIVE_STEPS) {
        // Actions land strictly between two polls, so "the state at a poll instant" is unambiguous.
        const jobs = [...(await trueHistory(f.sim)).values()];
        const active = jobs.filter(job => !job.deleted && !TERMINAL.has(stateOf(job)) && stateOf(job) !== 'JOB_STATE_CANCELLING');
        const finished = jobs.filter(job => TERMINAL.has(stateOf(job)));
        for (let n = random(0, 2); n > 0 && cancelled.size < 20 && active.length > 0; n--) {
          const [job] = active.splice(random(0, active.length - 1), 1);
          await f.vertex.cancelNasJob(job!.name);
          cancelled.add(job!.name);
        }
        for (let n = step >= 4 ? random(0, 3) : 0; n > 0 && deleted.size < 15 && finished.length > 0; n--) {
          const [job] = finished.splice(random(0, finished.length - 1), 1);
          await f.vertex.deleteNasJob(job!.name);
          deleted.add(job!.name);
        }
      }
      await f.sim.advance(seconds - before);
      await f.cycle({}, settings);
    }
    const instants = f.polls.filter(poll => poll.ok).map(poll => poll.at);

    // Assert: wait for the events of every expected transition, then compare job by job.
    const report = await waitForTruth(f, instants);
    const {mismatches, ...totals} = report;
    console.log(`ground truth: ${JSON.stringify({...totals, cycles: instants.length, cancelled: cancelled.size, deleted: deleted.size})}`);
    expect(mismatches).toEqual([]);
    expect(cancelled.size).toBeGreaterThanOrEqual(15);
    expect(deleted.size).toBeGreaterThanOrEqual(10);
    expect(report.skippedFlagged).toBeGreaterThan(0);
    expect(f.polls.every(poll => poll.ok)).toBe(true);
    const sweeps = f.logged('poll cycle').filter(line => line.sweep === true).length;
    expect(sweeps).toBeGreaterThanOrEqual(3);
  }, 90_000);
});
