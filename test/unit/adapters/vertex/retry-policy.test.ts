import {describe, expect, it} from 'vitest';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  resolveRetryPolicy,
  retryDelayMs,
  withRetries,
} from '../../../../shared/adapters/vertex/retry-policy.js';

const policy = resolveRetryPolicy({baseDelayMs: 100, maxDelayMs: 1000, jitter: 'none', maxServerDelayMs: 10_000});

describe('backoffDelayMs', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [30, 1000],
  ])('without jitter, waits %i → %i ms (doubling, capped)', (retry, ms) => {
    expect(backoffDelayMs(policy, retry, () => 0.99)).toBe(ms);
  });

  it.each([
    [0, 0],
    [0.5, 200],
    [0.999, 399],
  ])('with full jitter, picks uniformly below the cap (random %d → %i ms on retry 3)', (r, ms) => {
    expect(backoffDelayMs({...policy, jitter: 'full'}, 3, () => r)).toBe(ms);
  });
});

describe('retryDelayMs', () => {
  it.each([
    ['no server delay', undefined, 200],
    ['a shorter server delay', 50, 200],
    ['a longer server delay', 7500, 7500],
  ])('with %s, waits the larger of backoff and server', (_, server, ms) => {
    expect(retryDelayMs(policy, 2, () => 0, server)).toBe(ms);
  });

  it('gives up when the server asks for more than maxServerDelayMs', () => {
    expect(retryDelayMs(policy, 1, () => 0, 10_001)).toBeUndefined();
  });
});

describe('resolveRetryPolicy', () => {
  it('fills in the defaults', () => {
    expect(resolveRetryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it.each([[{maxAttempts: 0}], [{maxAttempts: 1.5}], [{baseDelayMs: -1}], [{baseDelayMs: 10, maxDelayMs: 5}]])(
    'rejects %j as config-invalid',
    overrides => {
      expect(() => resolveRetryPolicy(overrides)).toThrow(expect.objectContaining({code: 'config-invalid'}));
    },
  );
});

describe('withRetries', () => {
  const run = (failures: number, shouldRetry = () => true, maxAttempts = 4) => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = withRetries(
      async n => {
        calls = n;
        if (n <= failures) throw new Error(`fail ${n}`);
        return 'ok';
      },
      {policy: {...policy, maxAttempts}, sleep: async ms => void sleeps.push(ms), random: () => 0, shouldRetry, serverDelayOf: () => undefined},
    );
    return {result, sleeps, calls: () => calls};
  };

  it('retries until an attempt succeeds, sleeping the backoff in between', async () => {
    const r = run(2);
    await expect(r.result).resolves.toBe('ok');
    expect(r.sleeps).toEqual([100, 200]);
  });

  it('stops after maxAttempts and throws the last error', async () => {
    const r = run(10);
    await expect(r.result).rejects.toThrow('fail 4');
    expect(r.calls()).toBe(4);
  });

  it('does not retry an error the rule rejects', async () => {
    const r = run(10, () => false);
    await expect(r.result).rejects.toThrow('fail 1');
    expect(r.sleeps).toEqual([]);
  });
});
