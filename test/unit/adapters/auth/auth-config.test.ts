import {describe, expect, it} from 'vitest';
import {ConfigError} from '../../../../shared/config.js';
import {loadAuthConfig, productionMarkers} from '../../../../shared/adapters/auth/auth-config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadAuthConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadAuthConfig', () => {
  it('defaults to google mode, which needs the function URL as audience', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^NASMON_AUTH_AUDIENCE: required/)]);
    expect(loadAuthConfig({NASMON_AUTH_AUDIENCE: 'https://gate.example/nasJobsApi'})).toEqual({
      mode: 'google', audiences: ['https://gate.example/nasJobsApi'], localIssuerDir: '.nasmon/local-issuer',
    });
  });

  it('reads a comma-separated list of audiences', () => {
    expect(loadAuthConfig({NASMON_AUTH_AUDIENCE: ' https://a.example , https://b.example ,'}).audiences)
      .toEqual(['https://a.example', 'https://b.example']);
  });

  it('enables local mode only when asked, with a default audience and key directory', () => {
    expect(loadAuthConfig({NASMON_AUTH_MODE: 'local', NASMON_LOCAL_ISSUER_DIR: '/tmp/keys'})).toEqual({
      mode: 'local', audiences: ['http://localhost:8080'], localIssuerDir: '/tmp/keys',
    });
  });

  it.each([
    [{K_SERVICE: 'nasjobsapi'}, /K_SERVICE=nasjobsapi is set/],
    [{FUNCTION_NAME: 'nasJobsApi'}, /FUNCTION_NAME=nasJobsApi is set/],
    [{NASMON_ENV: 'production'}, /NASMON_ENV=production/],
  ])('refuses local mode when a production setting is on (%o)', (markers, named) => {
    const problems = problemsOf({NASMON_AUTH_MODE: 'local', ...markers});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^NASMON_AUTH_MODE: "local" is refused in production/);
    expect(problems[0]).toMatch(named);
  });

  it('allows google mode in production', () => {
    expect(loadAuthConfig({K_SERVICE: 'gate', NASMON_ENV: 'production', NASMON_AUTH_AUDIENCE: 'https://gate.example'}).mode).toBe('google');
  });

  it('reports every problem at once, each naming its variable', () => {
    const problems = problemsOf({NASMON_AUTH_MODE: 'none', NASMON_AUTH_AUDIENCE: 'has space'});
    expect(problems).toEqual([
      expect.stringMatching(/^NASMON_AUTH_MODE: "none" must be one of google, local/),
      expect.stringMatching(/^NASMON_AUTH_AUDIENCE: "has space" is not a valid audience/),
    ]);
  });
});

describe('productionMarkers', () => {
  it('is empty on a developer machine', () => {
    expect(productionMarkers({NASMON_ENV: 'development', K_SERVICE: ' '})).toEqual([]);
  });
});
