import {describe, expect, it} from 'vitest';
import {createRequestBudget} from '../../../../shared/adapters/vertex/request-budget.js';

const A = {project: 'proj-a', location: 'us-central1'};
const B = {project: 'proj-b', location: 'us-central1'};

function clock() {
  let t = 1_000_000;
  return {now: () => t, sleep: async (ms: number) => void (t += ms), advance: (ms: number) => void (t += ms), elapsed: () => t - 1_000_000};
}

describe('createRequestBudget', () => {
  it('grants a burst of 10 s of the share, then one read every 200 ms (300/min = half of 600)', () => {
    const c = clock();
    const budget = createRequestBudget({readsPerMinute: 600, share: 0.5, now: c.now});

    const burst = Array.from({length: 50}, () => budget.tryAcquire(A));
    expect(burst.every(d => d.granted)).toBe(true);
    expect(budget.tryAcquire(A)).toEqual({granted: false, waitMs: 200});
    c.advance(200);
    expect(budget.tryAcquire(A)).toEqual({granted: true});
  });

  it('never grants more than the share plus one burst in a minute of steady demand', async () => {
    const c = clock();
    const budget = createRequestBudget({readsPerMinute: 600, share: 0.5, now: c.now, sleep: c.sleep});
    let granted = 0;
    while (c.elapsed() < 60_000) {
      await budget.acquire(A);
      granted += 1;
    }
    expect(granted).toBeLessThanOrEqual(300 + 50 + 1);
    expect(granted).toBeGreaterThanOrEqual(300);
  });

  it('keeps separate buckets per (project, location) and per kind', () => {
    const c = clock();
    const budget = createRequestBudget({readsPerMinute: 6, writesPerMinute: 6, share: 1, burstSeconds: 10, now: c.now});

    expect(budget.tryAcquire(A).granted).toBe(true);
    expect(budget.tryAcquire(A).granted).toBe(false);
    expect(budget.tryAcquire(B).granted).toBe(true);
    expect(budget.tryAcquire(A, 'write').granted).toBe(true);
  });

  it('holds a paused target until the retry delay passes, leaving others alone', () => {
    const c = clock();
    const budget = createRequestBudget({now: c.now});

    budget.pause(A, 7500);
    expect(budget.tryAcquire(A)).toEqual({granted: false, waitMs: 7500});
    expect(budget.tryAcquire(B).granted).toBe(true);
    c.advance(7500);
    expect(budget.tryAcquire(A).granted).toBe(true);
  });

  it('makes acquire sleep through a pause', async () => {
    const c = clock();
    const budget = createRequestBudget({now: c.now, sleep: c.sleep});
    budget.pause(A, 3000);
    await budget.acquire(A);
    expect(c.elapsed()).toBe(3000);
  });

  it('does not shorten a longer pause', () => {
    const c = clock();
    const budget = createRequestBudget({now: c.now});
    budget.pause(A, 5000);
    budget.pause(A, 1000);
    expect(budget.tryAcquire(A)).toEqual({granted: false, waitMs: 5000});
  });

  it.each([[{share: 0}], [{share: 1.5}], [{readsPerMinute: -1}], [{burstSeconds: Number.NaN}]])('rejects %j as config-invalid', options => {
    expect(() => createRequestBudget(options)).toThrow(expect.objectContaining({code: 'config-invalid'}));
  });
});
