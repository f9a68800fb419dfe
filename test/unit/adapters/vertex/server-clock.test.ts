import {describe, expect, it} from 'vitest';
import {createServerClock, observingServerClock} from '../../../../shared/adapters/vertex/server-clock.js';

const T = Date.parse('2026-11-27T12:00:00.000Z');
const header = (ms: number) => new Date(ms).toUTCString(); // whole seconds, as HTTP dates are

describe('the server clock', () => {
  it('is our clock until an answer shows a skew, then Vertex\'s', () => {
    let local = T;
    const clock = createServerClock({localNow: () => local});
    expect(clock.now().getTime()).toBe(T);
    clock.observe(header(T - 60_000), T - 40, T + 40); // Vertex a minute behind
    expect(Math.abs(clock.offsetMs() + 60_000)).toBeLessThanOrEqual(1000);
    local += 5_000;
    expect(Math.abs(clock.now().getTime() - (T + 5_000 - 60_000))).toBeLessThanOrEqual(1000);
  });

  it('takes an offset within the header\'s precision as none', () => {
    const clock = createServerClock({localNow: () => T});
    for (let i = 0; i < 5; i++) clock.observe(header(T + 900), T - 10, T + 10);
    expect(clock.offsetMs()).toBe(0);
  });

  it('follows the median of recent answers, so one stray Date does not move it', () => {
    const clock = createServerClock({localNow: () => T, samples: 5});
    for (let i = 0; i < 4; i++) clock.observe(header(T + 30_000), T, T);
    clock.observe(header(T - 3_600_000), T, T);
    expect(Math.abs(clock.offsetMs() - 30_000)).toBeLessThanOrEqual(1000);
  });

  it('ignores answers without a usable Date header', () => {
    const clock = createServerClock({localNow: () => T});
    clock.observe(null, T, T);
    clock.observe('not a date', T, T);
    expect(clock.offsetMs()).toBe(0);
  });

  it('sees every answer that goes through the observing fetch', async () => {
    const clock = createServerClock({localNow: () => T});
    const fetch = observingServerClock(async () => ({status: 200, headers: {get: (name: string) => (name === 'date' ? header(T - 120_000) : null)}, text: async () => '{}'}), clock, () => T);
    await fetch('http://127.0.0.1:9/v1/x', {method: 'GET', headers: {}, signal: AbortSignal.timeout(1000)});
    expect(Math.abs(clock.offsetMs() + 120_000)).toBeLessThanOrEqual(1000);
  });
});
