import {describe, expect, it} from 'vitest';
import {parseDuration, parseSoakOptions, SoakUsageError} from '../../../../scripts/soak/options.js';

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000], ['90s', 90_000], ['1m30s', 90_000], ['2h', 7_200_000], ['500ms', 500], ['45', 45_000], ['1.5s', 1500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'm', '10x', '-5s', '1m1h'])('refuses %j', text => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseSoakOptions', () => {
  it("uses the issue's defaults: 2,000 jobs over 10 minutes on 4 targets with 4 callers", () => {
    expect(parseSoakOptions([])).toMatchObject({durationMs: 600_000, jobs: 2000, targets: 4, callers: 4, json: false, chaos: []});
  });

  it('reads every option', () => {
    expect(parseSoakOptions(['--duration=60s', '--jobs=150', '--targets=2', '--callers=2', '--seed=7', '--json', '--chaos=sim-faults', '--gate-share=0.5', '--settle=5s', '--log-dir=x']))
      .toEqual({durationMs: 60_000, jobs: 150, targets: 2, callers: 2, seed: 7, json: true, chaos: ['sim-faults'], gateShare: 0.5, pollIntervalSeconds: 2, settleMs: 5000, logDir: 'x'});
  });

  it('reports every problem at once, with the usage', () => {
    const error = (() => {
      try {
        parseSoakOptions(['--targets=5', '--chaos=sim-faults,emulator-fire', '--frobnicate']);
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(SoakUsageError);
    expect(error.message).toContain('--targets needs a whole number from 1 to 4, not 5');
    expect(error.message).toContain('unknown: emulator-fire');
    expect(error.message).toContain('unknown argument --frobnicate');
    expect(error.message).toContain('usage: npm run soak');
  });
});
