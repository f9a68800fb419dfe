import {describe, expect, it} from 'vitest';
import {checkChannelsConfigured, ConfigError, DEFAULT_CONSOLE_JOB_URL, loadNotifyConfig} from '../../shared/config.js';
import {policyOf} from './core/policy/support.js';

const SECRET = 'https://hooks.slack.com/services/T000/B000/very-secret-token';
const base = {GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_POLICY: 'policy.yaml'};

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadNotifyConfig', () => {
  it('reads webhooks, SMTP settings and the grouping window, with documented defaults', () => {
    const config = loadNotifyConfig({
      ...base, NASMON_SLACK_WEBHOOKS: JSON.stringify({vision: SECRET, local: 'http://127.0.0.1:9000/hook'}),
      NASMON_SMTP_URL: 'smtps://nasmon:pw@smtp.example.com:465', NASMON_EMAIL_FROM: 'nasmon <nasmon@example.com>',
    });

    expect([...config.slackWebhooks.keys()]).toEqual(['vision', 'local']);
    expect(config).toMatchObject({
      projectId: 'demo-nasmon', policyPath: 'policy.yaml', smtpUrl: 'smtps://nasmon:pw@smtp.example.com:465',
      emailFrom: 'nasmon <nasmon@example.com>', groupSeconds: 30, consoleJobUrl: DEFAULT_CONSOLE_JOB_URL,
    });
    expect(loadNotifyConfig({...base, NASMON_NOTIFY_GROUP_SECONDS: '0'}).groupSeconds).toBe(0);
  });

  it('needs neither the targets nor Vertex: a notify deploy without NASMON_TARGETS starts', () => {
    expect(problemsOf(() => loadNotifyConfig({...base, VERTEX_API_ENDPOINT: 'not a url', NASMON_QUOTA_SHARE: '7'}))).toEqual([]);
  });

  it('needs the project and the policy file, reported together with the other problems', () => {
    expect(problemsOf(() => loadNotifyConfig({NASMON_NOTIFY_GROUP_SECONDS: '-1'}))).toEqual([
      'GOOGLE_CLOUD_PROJECT: required',
      'NASMON_POLICY: required by notify, the path of the policy file whose notifications section routes events',
      'NASMON_NOTIFY_GROUP_SECONDS: "-1" must be a number from 0 to 300',
    ]);
  });

  it('reports every bad variable at once, naming each, without ever showing a secret value', () => {
    const problems = problemsOf(() => loadNotifyConfig({
      ...base, NASMON_SLACK_WEBHOOKS: JSON.stringify({vision: SECRET.replace('https:', 'http:'), 'bad name': SECRET}),
      NASMON_SMTP_URL: 'mailto:nasmon:hunter2@example.com', NASMON_EMAIL_FROM: 'nasmon', NASMON_NOTIFY_GROUP_SECONDS: '3600',
      NASMON_CONSOLE_JOB_URL: 'https://console.example/jobs',
    }));

    expect(problems).toEqual([
      'NASMON_SMTP_URL: not an smtp:// or smtps:// URL (value not shown: it holds credentials)',
      'NASMON_EMAIL_FROM: "nasmon" is not an address like "nasmon <nasmon@example.com>"',
      'NASMON_NOTIFY_GROUP_SECONDS: "3600" must be a number from 0 to 300',
      'NASMON_CONSOLE_JOB_URL: must be an http(s) URL containing {job} (and usually {project}, {location})',
      'NASMON_SLACK_WEBHOOKS: "vision" is not an https URL (http only for loopback)',
      'NASMON_SLACK_WEBHOOKS: "bad name" is not a webhook name (letters, digits, "_", "-")',
    ]);
    expect(problems.join('\n')).not.toMatch(/very-secret-token|hunter2/);
  });

  it('does not echo a webhook variable that is not JSON', () => {
    expect(problemsOf(() => loadNotifyConfig({...base, NASMON_SLACK_WEBHOOKS: SECRET}))).toEqual([
      'NASMON_SLACK_WEBHOOKS: must be a JSON object {"name": "https://hooks.slack.com/services/…"} (value not shown)',
    ]);
  });
});

describe('checkChannelsConfigured', () => {
  const policy = policyOf({notifications: {channels: {ops: {slack: 'ops'}, oncall: {email: ['oncall@example.com']}}}}).notifications;

  it('names every channel the environment cannot serve', () => {
    expect(problemsOf(() => checkChannelsConfigured(policy, loadNotifyConfig(base), 'policy.yaml'))).toEqual([
      'NASMON_SLACK_WEBHOOKS: no webhook named "ops", which channel "ops" of policy.yaml uses',
      'NASMON_SMTP_URL: required by email channel "oncall" of policy.yaml',
      'NASMON_EMAIL_FROM: required by email channel "oncall" of policy.yaml',
    ]);
  });

  it('accepts an environment that serves every channel', () => {
    const config = loadNotifyConfig({...base, NASMON_SLACK_WEBHOOKS: JSON.stringify({ops: SECRET}), NASMON_SMTP_URL: 'smtp://127.0.0.1:2525', NASMON_EMAIL_FROM: 'nasmon@example.com'});

    expect(() => checkChannelsConfigured(policy, config, 'policy.yaml')).not.toThrow();
  });
});
