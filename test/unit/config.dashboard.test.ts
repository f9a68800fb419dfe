import {describe, expect, it} from 'vitest';
import {ConfigError, loadDashboardConfig} from '../../shared/config.js';

const IAP = '/projects/123456789012/global/backendServices/987654321';
const base = {GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_POLICY: 'policy.yaml', NASMON_DASHBOARD_AUDIENCE: 'https://dashboard.example.com'};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadDashboardConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadDashboardConfig', () => {
  it('reads the documented defaults: Google identities, 500 jobs, a 5 s refresh, trials from Vertex', () => {
    expect(loadDashboardConfig(base)).toMatchObject({
      projectId: 'demo-nasmon', policyPath: 'policy.yaml', maxJobs: 500, refreshSeconds: 5, trials: 'vertex',
      auth: {mode: 'google', idTokenMode: 'google', idTokenAudiences: ['https://dashboard.example.com'], iapAudiences: []},
    });
  });

  it('reads IAP audiences, limits and the trial switch', () => {
    const config = loadDashboardConfig({
      GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_POLICY: 'p.yaml', NASMON_DASHBOARD_IAP_AUDIENCE: `${IAP}, /projects/1/apps/my-app`,
      NASMON_DASHBOARD_MAX_JOBS: '2000', NASMON_DASHBOARD_REFRESH_SECONDS: '10', NASMON_DASHBOARD_TRIALS: 'off',
    });

    expect(config).toMatchObject({maxJobs: 2000, refreshSeconds: 10, trials: 'off', auth: {iapAudiences: [IAP, '/projects/1/apps/my-app'], idTokenAudiences: []}});
  });

  it('runs open for a local run, without a policy file', () => {
    expect(loadDashboardConfig({GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_DASHBOARD_AUTH: 'none'})).toMatchObject({auth: {mode: 'none'}, policyPath: undefined});
  });

  it.each([
    ['K_SERVICE', {K_SERVICE: 'dashboard'}, 'K_SERVICE=dashboard is set'],
    ['FUNCTION_NAME', {FUNCTION_NAME: 'dashboard'}, 'FUNCTION_NAME=dashboard is set'],
    ['NASMON_ENV', {NASMON_ENV: 'production'}, 'NASMON_ENV=production'],
  ])('refuses to run open in production (%s)', (_, marker, why) => {
    expect(problemsOf({...base, NASMON_DASHBOARD_AUTH: 'none', ...marker})).toEqual([
      `NASMON_DASHBOARD_AUTH: "none" is refused in production (${why}); a deployed dashboard checks ID tokens or IAP`,
    ]);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({NASMON_DASHBOARD_AUTH: 'open', NASMON_DASHBOARD_IAP_AUDIENCE: 'my-backend', NASMON_DASHBOARD_MAX_JOBS: '0',
      NASMON_DASHBOARD_REFRESH_SECONDS: 'soon', NASMON_DASHBOARD_TRIALS: 'maybe'})).toEqual([
      'NASMON_DASHBOARD_AUTH: "open" must be one of google, none',
      'NASMON_DASHBOARD_IAP_AUDIENCE: "my-backend" is not a valid audience',
      'NASMON_POLICY: required by the dashboard, whose access grants decide who sees which job',
      'NASMON_DASHBOARD_TRIALS: "maybe" must be vertex or off',
      'GOOGLE_CLOUD_PROJECT: required',
      'NASMON_DASHBOARD_MAX_JOBS: "0" must be a whole number from 1 to 5000',
      'NASMON_DASHBOARD_REFRESH_SECONDS: "soon" must be a number from 1 to 300',
    ]);
  });

  it('needs a way to tell who is looking unless it runs open', () => {
    expect(problemsOf({GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_POLICY: 'p.yaml'})).toEqual([
      'NASMON_DASHBOARD_AUDIENCE or NASMON_DASHBOARD_IAP_AUDIENCE: at least one is required (the dashboard URL for ID tokens; /projects/NUMBER/global/backendServices/ID for IAP)',
    ]);
  });

  it('refuses local-issuer tokens in production, as the gate does', () => {
    expect(problemsOf({...base, NASMON_AUTH_MODE: 'local', K_SERVICE: 'dashboard'})).toEqual([
      'NASMON_AUTH_MODE: "local" is refused in production (K_SERVICE=dashboard is set); deployed gates accept only Google-signed ID tokens',
    ]);
  });
});
