import {describe, expect, it} from 'vitest';
import {createCallerRateLimit} from '../../../../shared/core/gate/caller-rate-limit.js';

describe('createCallerRateLimit', () => {
  it('allows a burst of ten seconds\' worth, then one call per refill, telling how long to wait', () => {
    const limit = createCallerRateLimit({perMinute: 60}); // one a second, a burst of 10
    const answers = Array.from({length: 11}, () => limit.take('a@example.com', 0));
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(answers[10]).toBe(1);
    expect(limit.take('a@example.com', 500)).toBe(1); // half a token: still a whole second to say
    expect(limit.take('a@example.com', 1000)).toBeUndefined();
    expect(limit.take('a@example.com', 1000)).toBe(1);
  });

  it('keeps one bucket per caller', () => {
    const limit = createCallerRateLimit({perMinute: 6, burst: 1});
    expect(limit.take('a@example.com', 0)).toBeUndefined();
    expect(limit.take('a@example.com', 0)).toBe(10);
    expect(limit.take('b@example.com', 0)).toBeUndefined();
  });

  it('refills no further than the burst after a quiet spell', () => {
    const limit = createCallerRateLimit({perMinute: 60, burst: 2});
    limit.take('a@example.com', 0);
    const later = 3_600_000;
    expect([limit.take('a@example.com', later), limit.take('a@example.com', later), limit.take('a@example.com', later)]).toEqual([undefined, undefined, 1]);
  });

  it('forgets the longest idle caller beyond maxCallers, bounding memory', () => {
    const limit = createCallerRateLimit({perMinute: 6, burst: 1, maxCallers: 2});
    limit.take('a@example.com', 0);
    limit.take('b@example.com', 0);
    limit.take('c@example.com', 0); // a is forgotten
    expect(limit.take('b@example.com', 0)).toBe(10);
    expect(limit.take('a@example.com', 0)).toBeUndefined(); // back with a full bucket
  });
});
