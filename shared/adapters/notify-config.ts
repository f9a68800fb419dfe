// notify's configuration, read from the environment and validated with every problem reported at
// once, like loadConfig in shared/config.ts (where it is to be merged). The webhook URLs and the SMTP
// URL are secrets (production maps them from Secret Manager): problems name the variable and the
// entry, never the value.
import {WEBHOOK_NAME} from '../core/policy/parse-notifications.js';
import type {NotificationPolicy} from '../core/policy/notification-policy.js';
import {ConfigError} from '../config.js';

export interface NotifyConfig {
  /** Webhook name → incoming-webhook URL (NASMON_SLACK_WEBHOOKS). */
  readonly slackWebhooks: ReadonlyMap<string, string>;
  /** NASMON_SMTP_URL: `smtp://user:password@host:587` or `smtps://…`. */
  readonly smtpUrl: string | undefined;
  /** NASMON_EMAIL_FROM: `nasmon <nasmon@example.com>`. */
  readonly emailFrom: string | undefined;
  /** NASMON_NOTIFY_GROUP_SECONDS: events of one job within this window become one message; 0 sends each alone. */
  readonly groupSeconds: number;
  /** NASMON_CONSOLE_JOB_URL: the job link, with `{project}`, `{location}` and `{job}`. */
  readonly consoleJobUrl: string;
}

/** The Vertex AI console page of a NAS job. */
export const DEFAULT_CONSOLE_JOB_URL = 'https://console.cloud.google.com/vertex-ai/locations/{location}/nas/{job}?project={project}';

type Env = Readonly<Record<string, string | undefined>>;
const MAILBOX = /^(?:[^<>\r\n]{0,100}<[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253}>|[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253})$/;

/** Reads and validates notify's variables from `env`; throws ConfigError naming each bad one. */
export function loadNotifyConfig(env: Env = process.env): NotifyConfig {
  const problems: string[] = [];
  const smtpUrl = env.NASMON_SMTP_URL?.trim() || undefined;
  if (smtpUrl && !hasProtocol(smtpUrl, ['smtp:', 'smtps:'])) problems.push('NASMON_SMTP_URL: not an smtp:// or smtps:// URL (value not shown: it holds credentials)');
  const emailFrom = env.NASMON_EMAIL_FROM?.trim() || undefined;
  if (emailFrom && !MAILBOX.test(emailFrom)) problems.push(`NASMON_EMAIL_FROM: "${emailFrom.slice(0, 80)}" is not an address like "nasmon <nasmon@example.com>"`);
  const rawSeconds = env.NASMON_NOTIFY_GROUP_SECONDS?.trim();
  const groupSeconds = rawSeconds ? Number(rawSeconds) : 30;
  if (!Number.isFinite(groupSeconds) || groupSeconds < 0 || groupSeconds > 300) {
    problems.push(`NASMON_NOTIFY_GROUP_SECONDS: "${rawSeconds}" must be a number from 0 to 300`);
  }
  const consoleJobUrl = env.NASMON_CONSOLE_JOB_URL?.trim() || DEFAULT_CONSOLE_JOB_URL;
  if (!hasProtocol(consoleJobUrl.replace(/[{}]/g, ''), ['https:', 'http:']) || !consoleJobUrl.includes('{job}')) {
    problems.push('NASMON_CONSOLE_JOB_URL: must be an http(s) URL containing {job} (and usually {project}, {location})');
  }
  const config = {slackWebhooks: readWebhooks(env.NASMON_SLACK_WEBHOOKS, problems), smtpUrl, emailFrom, groupSeconds, consoleJobUrl};
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readWebhooks(raw: string | undefined, problems: string[]): Map<string, string> {
  const webhooks = new Map<string, string>();
  if (!raw?.trim()) return webhooks;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push('NASMON_SLACK_WEBHOOKS: must be a JSON object {"name": "https://hooks.slack.com/services/…"} (value not shown)');
    return webhooks;
  }
  for (const [name, url] of Object.entries(parsed)) {
    if (!WEBHOOK_NAME.test(name)) problems.push(`NASMON_SLACK_WEBHOOKS: "${name.slice(0, 80)}" is not a webhook name (letters, digits, "_", "-")`);
    else if (typeof url !== 'string' || !isWebhookUrl(url)) problems.push(`NASMON_SLACK_WEBHOOKS: "${name}" is not an https URL (http only for loopback)`);
    else webhooks.set(name, url);
  }
  return webhooks;
}

/**
 * Checks that every channel of the policy can be used with this configuration: its webhook exists,
 * and email channels have an SMTP server and a sender. Run at start-up, so a typo fails the deploy
 * instead of the first failure notification.
 */
export function checkChannelsConfigured(policy: NotificationPolicy, config: NotifyConfig, policyFile: string): void {
  const problems: string[] = [];
  for (const channel of policy.channels.values()) {
    if (channel.kind === 'slack' && !config.slackWebhooks.has(channel.webhook)) {
      problems.push(`NASMON_SLACK_WEBHOOKS: no webhook named "${channel.webhook}", which channel "${channel.name}" of ${policyFile} uses`);
    }
  }
  const mailer = [...policy.channels.values()].find(channel => channel.kind === 'email');
  if (mailer && !config.smtpUrl) problems.push(`NASMON_SMTP_URL: required by email channel "${mailer.name}" of ${policyFile}`);
  if (mailer && !config.emailFrom) problems.push(`NASMON_EMAIL_FROM: required by email channel "${mailer.name}" of ${policyFile}`);
  if (problems.length > 0) throw new ConfigError(problems);
}

function hasProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function isWebhookUrl(text: string): boolean {
  try {
    const url = new URL(text);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}
