import {describe, expect, it} from 'vitest';
import {ConfigError, loadEnforceConfig} from '../../shared/config.js';

const base = {GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_POLICY: 'policy.yaml'};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadEnforceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadEnforceConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadEnforceConfig(base)).toMatchObject({
      projectId: 'demo-nasmon', policyPath: 'policy.yaml', eventsTopic: 'nasjob-events', vertexApiEndpoint: undefined, quotaShare: 0.5,
      pollIntervalSeconds: 10, enforce: {forceDryRun: false, maxDuePerTick: 200, sweepEveryMs: 3_600_000, concurrency: 8},
    });
  });

  it('reads every variable', () => {
    const config = loadEnforceConfig({
      ...base, NASMON_ENFORCE_DRY_RUN: 'TRUE', NASMON_ENFORCE_MAX_DUE_PER_TICK: '50', NASMON_ENFORCE_SWEEP_MINUTES: '15', NASMON_ENFORCE_CONCURRENCY: '2',
      VERTEX_API_ENDPOINT: 'http://127.0.0.1:8089/', NASMON_VERTEX_STATIC_TOKEN: 'local', NASMON_EVENTS_TOPIC: 'events-e2e',
      NASMON_POLL_INTERVAL_SECONDS: '2',
    });

    expect(config.enforce).toEqual({forceDryRun: true, maxDuePerTick: 50, sweepEveryMs: 900_000, concurrency: 2});
    expect(config).toMatchObject({vertexApiEndpoint: 'http://127.0.0.1:8089', vertexStaticToken: 'local', eventsTopic: 'events-e2e', pollIntervalSeconds: 2});
  });

  it('needs no targets: only the pollers watch them', () => {
    expect(problemsOf(base)).toEqual([]);
  });

  it('reports every bad variable at once, each by name', () => {
    expect(problemsOf({NASMON_ENFORCE_DRY_RUN: 'ture', NASMON_ENFORCE_MAX_DUE_PER_TICK: '0', NASMON_ENFORCE_SWEEP_MINUTES: '1.5', NASMON_VERTEX_STATIC_TOKEN: 't', NASMON_POLL_INTERVAL_SECONDS: '0'})).toEqual([
      'GOOGLE_CLOUD_PROJECT: required',
      'NASMON_VERTEX_STATIC_TOKEN: only allowed with VERTEX_API_ENDPOINT (a simulator); real Vertex uses ADC',
      'NASMON_POLL_INTERVAL_SECONDS: "0" must be a number from 1 to 60',
      'NASMON_POLICY: required by enforce, the path of the policy file with the runtime rules',
      'NASMON_ENFORCE_DRY_RUN: "ture" must be true or false',
      'NASMON_ENFORCE_MAX_DUE_PER_TICK: "0" must be a whole number from 1 to 5000',
      'NASMON_ENFORCE_SWEEP_MINUTES: "1.5" must be a whole number from 1 to 10080',
    ]);
  });
});
