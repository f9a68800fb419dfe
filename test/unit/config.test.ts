import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../shared/config.js';

const base = {GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_TARGETS: 'proj-a1/us-central1, proj-b1/europe-west4'};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
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
    });
    expect(problems).toHaveLength(7);
    for (const key of ['GOOGLE_CLOUD_PROJECT', 'NASMON_TARGETS', 'VERTEX_API_ENDPOINT', 'NASMON_POLL_INTERVAL_SECONDS',
      'NASMON_QUOTA_SHARE', 'NASMON_EVENTS_TOPIC']) {
      expect(problems.some(problem => problem.startsWith(`${key}:`))).toBe(true);
    }
  });

  it('requires at least one target', () => {
    expect(problemsOf({GOOGLE_CLOUD_PROJECT: 'demo-nasmon'})).toEqual([expect.stringMatching(/^NASMON_TARGETS: required/)]);
  });
});
