import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig, loadGateConfig, productionMarkers} from '../../shared/config.js';

const base = {GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_TARGETS: 'proj-a1/us-central1, proj-b1/europe-west4'};
const gate = {...base, NASMON_POLICY: 'policy.yaml', NASMON_AUTH_AUDIENCE: 'https://gate.example/nasJobsApi'};

function problemsOf(env: Record<string, string>, load: (env: Record<string, string>) => unknown = loadConfig): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('reads targets and applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.targets).toEqual([
      {project: 'proj-a1', location: 'us-central1'},
      {project: 'proj-b1', location: 'europe-west4'},
    ]);
    expect(config.eventsTopic).toBe('nasjob-events');
    expect(config.vertexApiEndpoint).toBeUndefined();
    expect(config.pollIntervalSeconds).toBe(10);
    expect(config.quotaShare).toBe(0.5);
    expect(config.writesPerMinute).toBe(60);
    expect(config.gateTimeoutMs).toBe(30_000);
    expect(config.auth).toEqual({mode: 'google', audiences: [], localIssuerDir: '.nasmon/local-issuer'});
  });

  it('keeps the simulator endpoint without a trailing slash', () => {
    expect(loadConfig({...base, VERTEX_API_ENDPOINT: 'http://127.0.0.1:8089/'}).vertexApiEndpoint)
      .toBe('http://127.0.0.1:8089');
  });

  it('de-duplicates repeated targets', () => {
    expect(loadConfig({...base, NASMON_TARGETS: 'proj-a1/us-central1,proj-a1/us-central1'}).targets).toHaveLength(1);
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      NASMON_TARGETS: 'proj-a1/us-central1,nolocation,A/B/C',
      VERTEX_API_ENDPOINT: 'ftp://x',
      NASMON_POLL_INTERVAL_SECONDS: 'soon',
      NASMON_QUOTA_SHARE: '2',
      NASMON_EVENTS_TOPIC: '1bad topic',
      NASMON_AUTH_MODE: 'none',
      NASMON_AUTH_AUDIENCE: 'has space',
      NASMON_GATE_TIMEOUT_MS: '10',
    });
    expect(problems).toHaveLength(10);
    for (const key of ['GOOGLE_CLOUD_PROJECT', 'NASMON_TARGETS', 'VERTEX_API_ENDPOINT', 'NASMON_POLL_INTERVAL_SECONDS',
      'NASMON_QUOTA_SHARE', 'NASMON_EVENTS_TOPIC', 'NASMON_AUTH_MODE', 'NASMON_AUTH_AUDIENCE', 'NASMON_GATE_TIMEOUT_MS']) {
      expect(problems.some(problem => problem.startsWith(`${key}:`))).toBe(true);
    }
    expect(problems).toContainEqual(expect.stringMatching(/^NASMON_AUTH_MODE: "none" must be one of google, local/));
    expect(problems).toContainEqual(expect.stringMatching(/^NASMON_AUTH_AUDIENCE: "has space" is not a valid audience/));
    expect(problems).toContainEqual(expect.stringMatching(/^NASMON_GATE_TIMEOUT_MS: "10" must be a number from 1000 to 3600000/));
  });

  it('requires at least one target', () => {
    expect(problemsOf({GOOGLE_CLOUD_PROJECT: 'demo-nasmon'})).toEqual([expect.stringMatching(/^NASMON_TARGETS: required/)]);
  });
});

describe("loadConfig: the gate's authentication and time limit", () => {
  it('reads a comma-separated list of audiences and the time limit', () => {
    const config = loadConfig({...base, NASMON_AUTH_AUDIENCE: ' https://a.example , https://b.example ,', NASMON_GATE_TIMEOUT_MS: '5000'});
    expect(config.auth.audiences).toEqual(['https://a.example', 'https://b.example']);
    expect(config.gateTimeoutMs).toBe(5000);
  });

  it('enables local mode only when asked, with a default audience and key directory', () => {
    expect(loadConfig({...base, NASMON_AUTH_MODE: 'local', NASMON_LOCAL_ISSUER_DIR: '/tmp/keys'}).auth).toEqual({
      mode: 'local', audiences: ['http://localhost:8080'], localIssuerDir: '/tmp/keys',
    });
  });

  it.each([
    [{K_SERVICE: 'nasjobsapi'}, /K_SERVICE=nasjobsapi is set/],
    [{FUNCTION_NAME: 'nasJobsApi'}, /FUNCTION_NAME=nasJobsApi is set/],
    [{NASMON_ENV: 'production'}, /NASMON_ENV=production/],
  ])('refuses local mode when a production setting is on (%o)', (markers, named) => {
    const problems = problemsOf({...base, NASMON_AUTH_MODE: 'local', ...markers});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^NASMON_AUTH_MODE: "local" is refused in production/);
    expect(problems[0]).toMatch(named);
  });

  it('allows google mode in production', () => {
    expect(loadConfig({...base, K_SERVICE: 'gate', NASMON_ENV: 'production', NASMON_AUTH_AUDIENCE: 'https://gate.example'}).auth.mode).toBe('google');
  });
});

describe('loadGateConfig', () => {
  it('accepts a complete gate configuration', () => {
    expect(loadGateConfig(gate)).toMatchObject({policyPath: 'policy.yaml', auth: {mode: 'google', audiences: ['https://gate.example/nasJobsApi']}});
  });

  it('needs a policy file, and an audience in google mode, reported with the general problems', () => {
    expect(problemsOf({GOOGLE_CLOUD_PROJECT: 'demo-nasmon'}, loadGateConfig)).toEqual([
      expect.stringMatching(/^NASMON_TARGETS: required/),
      expect.stringMatching(/^NASMON_POLICY: required by nasJobsApi/),
      expect.stringMatching(/^NASMON_AUTH_AUDIENCE: required by nasJobsApi, the gate function's URL/),
    ]);
  });

  it('needs no audience in local mode, whose tokens default to the local address', () => {
    const {NASMON_AUTH_AUDIENCE: _, ...withoutAudience} = gate;
    expect(loadGateConfig({...withoutAudience, NASMON_AUTH_MODE: 'local'}).auth.audiences).toEqual(['http://localhost:8080']);
  });

  it('keeps refusing local mode in production', () => {
    expect(problemsOf({...gate, NASMON_AUTH_MODE: 'local', K_SERVICE: 'nasjobsapi'}, loadGateConfig))
      .toEqual([expect.stringMatching(/^NASMON_AUTH_MODE: "local" is refused in production/)]);
  });
});

describe('productionMarkers', () => {
  it('is empty on a developer machine', () => {
    expect(productionMarkers({NASMON_ENV: 'development', K_SERVICE: ' '})).toEqual([]);
  });
});
