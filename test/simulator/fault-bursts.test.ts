// Faults that come in runs: a `burst` rule, once it fires, fails that many matching requests in a
// row, as a quota or an overloaded front end does. The chaos soak turns 429 bursts on with it.
import {afterEach, describe, expect, it} from 'vitest';
import {admin, api, useSimulator} from './support.js';

const ctx = useSimulator({seed: 11});

afterEach(async () => {
  await admin(ctx.sim, 'DELETE', 'faults');
});

/** The statuses of `n` list calls, in order. */
async function statuses(n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await api.list(ctx.sim, '?pageSize=1')).status);
  return seen;
}

/** Lengths of the runs of `status` in `seen`; a run still going at the end is left out (it may be cut short). */
function runsOf(seen: readonly number[], status: number): number[] {
  const runs: number[] = [];
  let current = 0;
  for (const s of seen) {
    if (s === status) current += 1;
    else if (current > 0) runs.push(current), (current = 0);
  }
  return runs;
}

describe('fault bursts', () => {
  it('fails a run of `burst` requests each time a rate-drawn rule fires', async () => {
    const reply = await admin(ctx.sim, 'POST', 'faults', {kind: 'rate-limit', rate: 0.05, burst: 5, retryDelaySeconds: 2});
    expect(reply.body).toMatchObject({kind: 'rate-limit', rate: 0.05, burst: 5});
    const runs = runsOf(await statuses(200), 429);
    expect(runs.length).toBeGreaterThan(0);
    // Runs are at least a burst long (two bursts may touch, making one longer run).
    for (const run of runs) expect(run).toBeGreaterThanOrEqual(5);
  });

  it('counts burst requests against `count`', async () => {
    await admin(ctx.sim, 'POST', 'faults', {kind: 'unavailable', count: 3, burst: 10});
    expect(await statuses(5)).toEqual([503, 503, 503, 200, 200]);
    expect((await admin(ctx.sim, 'GET', 'faults')).body.faults).toEqual([]);
  });

  it('refuses a burst that is not a whole number of at least 1', async () => {
    const reply = await admin(ctx.sim, 'POST', 'faults', {kind: 'unavailable', rate: 0.1, burst: 0.5});
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0].fieldViolations.map((v: {field: string}) => v.field)).toEqual(['burst']);
  });
});
