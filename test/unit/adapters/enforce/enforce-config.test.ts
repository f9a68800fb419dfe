import {describe, expect, it} from 'vitest';
import {loadEnforceConfig} from '../../../../shared/adapters/enforce/enforce-config.js';
import {ConfigError} from '../../../../shared/config.js';

describe('loadEnforceConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadEnforceConfig({})).toEqual({forceDryRun: false, maxDuePerTick: 200, sweepEveryMs: 3_600_000, concurrency: 8});
  });

  it('reads every variable', () => {
    const settings = loadEnforceConfig({
      NASMON_ENFORCE_DRY_RUN: 'TRUE', NASMON_ENFORCE_MAX_DUE_PER_TICK: '50', NASMON_ENFORCE_SWEEP_MINUTES: '15', NASMON_ENFORCE_CONCURRENCY: '2',
    });

    expect(settings).toEqual({forceDryRun: true, maxDuePerTick: 50, sweepEveryMs: 900_000, concurrency: 2});
  });

  it('reports every bad variable at once, each by name', () => {
    let caught: unknown;
    try {
      loadEnforceConfig({NASMON_ENFORCE_DRY_RUN: 'ture', NASMON_ENFORCE_MAX_DUE_PER_TICK: '0', NASMON_ENFORCE_SWEEP_MINUTES: '1.5'});
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'NASMON_ENFORCE_DRY_RUN: "ture" must be true or false',
      'NASMON_ENFORCE_MAX_DUE_PER_TICK: "0" must be a whole number from 1 to 5000',
      'NASMON_ENFORCE_SWEEP_MINUTES: "1.5" must be a whole number from 1 to 10080',
    ]);
  });
});
