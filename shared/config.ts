// The only place that reads the environment. Every problem is collected and reported at once, so
// a broken deploy is fixed in one round instead of one variable at a time. Each function loads what
// it uses and no more (the pollers and the gate loadConfig/loadGateConfig, notify loadNotifyConfig,
// enforce loadEnforceConfig), so a variable only the pollers need never keeps notify from starting.
// Secrets (webhook URLs, the SMTP URL) are never echoed: a problem names the variable, not the value.
import type {NotificationPolicy} from './core/policy/notification-policy.js';
import {WEBHOOK_NAME} from './core/policy/parse-notifications.js';
import {NasmonError} from './errors.js';
import {hasProtocol, httpUrl, isWebhookUrl, MAILBOX, numberIn, TOPIC_NAME, trueOrFalse, wholeNumberIn, type Problems} from './config-values.js';
import {
  DEFAULT_CONSOLE_JOB_URL, DEFAULT_GATE_CALLS_PER_MINUTE, DEFAULT_GATE_TIMEOUT_MS, DEFAULT_LOCAL_ISSUER_DIR, LOCAL_DEFAULT_AUDIENCE, AUTH_MODES, CRASH_POINTS,
  type AuthConfig, type AuthMode, type Config, type CrashPoint, type CrashPoints, type EnforceConfig, type GateConfig, type NotifyConfig, type NotifySettings,
  type Target, type VertexAccess,
} from './config-types.js';
import type {EnforceSettings} from './use-cases/enforce/enforce-deps.js';

export * from './config-types.js';

/** Thrown by the loaders with every problem found. */
export class ConfigError extends NasmonError {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super('config-invalid', `invalid configuration: ${problems.join('; ')}`);
  }
}

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{6,20}$/;
const LOCATION = /^[a-z]+(-[a-z]+)*\d*(-[a-z0-9]+)*$/;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the pollers' configuration from `env`. */
export function loadConfig(env: Env = process.env): Config {
  return checked(problems => readConfig(env, problems));
}

/**
 * loadConfig plus what the gate cannot run without, every problem reported at once: the policy file,
 * and in google mode the audience its tokens must carry (the poller functions need neither).
 */
export function loadGateConfig(env: Env = process.env): GateConfig {
  return checked(problems => {
    const config = readConfig(env, problems);
    const policyPath = requiredPolicy(config.policyPath, 'nasJobsApi', 'the path of the policy file (YAML or JSON)', problems);
    if (config.auth.mode === 'google' && config.auth.audiences.length === 0) {
      problems.push("NASMON_AUTH_AUDIENCE: required by nasJobsApi, the gate function's URL, e.g. https://REGION-PROJECT.cloudfunctions.net/nasJobsApi");
    }
    return {...config, policyPath};
  });
}

/** Reads and validates notify's configuration; it needs neither the targets nor Vertex. */
export function loadNotifyConfig(env: Env = process.env): NotifyConfig {
  return checked(problems => ({
    projectId: projectIdOf(env, problems),
    policyPath: requiredPolicy(text(env, 'NASMON_POLICY'), 'notify', 'the path of the policy file whose notifications section routes events', problems),
    ...readNotifySettings(env, problems),
  }));
}

/** Reads and validates enforce's configuration; it needs Vertex and the events topic, not the targets. */
export function loadEnforceConfig(env: Env = process.env): EnforceConfig {
  return checked(problems => ({
    projectId: projectIdOf(env, problems),
    ...readVertexAccess(env, problems),
    eventsTopic: topicOf(env, 'NASMON_EVENTS_TOPIC', 'nasjob-events', problems),
    pollIntervalSeconds: pollIntervalOf(env, problems),
    policyPath: requiredPolicy(text(env, 'NASMON_POLICY'), 'enforce', 'the path of the policy file with the runtime rules', problems),
    enforce: readEnforceSettings(env, problems),
  }));
}

/**
 * Checks that every channel of the policy can be used with these settings: its webhook exists, and
 * email channels have an SMTP server and a sender. Run at start-up, so a typo fails the deploy
 * instead of the first failure notification.
 */
export function checkChannelsConfigured(policy: NotificationPolicy, settings: NotifySettings, policyFile: string): void {
  const problems: Problems = [];
  for (const channel of policy.channels.values()) {
    if (channel.kind === 'slack' && !settings.slackWebhooks.has(channel.webhook)) {
      problems.push(`NASMON_SLACK_WEBHOOKS: no webhook named "${channel.webhook}", which channel "${channel.name}" of ${policyFile} uses`);
    }
  }
  const mailer = [...policy.channels.values()].find(channel => channel.kind === 'email');
  if (mailer && !settings.smtpUrl) problems.push(`NASMON_SMTP_URL: required by email channel "${mailer.name}" of ${policyFile}`);
  if (mailer && !settings.emailFrom) problems.push(`NASMON_EMAIL_FROM: required by email channel "${mailer.name}" of ${policyFile}`);
  if (problems.length > 0) throw new ConfigError(problems);
}

function checked<T extends object>(read: (problems: Problems) => T): T {
  const problems: Problems = [];
  const config = read(problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function readConfig(env: Env, problems: Problems): Config {
  return Object.freeze({
    projectId: projectIdOf(env, problems),
    targets: parseTargets(env.NASMON_TARGETS ?? '', problems),
    ...readVertexAccess(env, problems),
    eventsTopic: topicOf(env, 'NASMON_EVENTS_TOPIC', 'nasjob-events', problems),
    policyPath: text(env, 'NASMON_POLICY'),
    pollIntervalSeconds: pollIntervalOf(env, problems),
    pollSessionSeconds: numberIn('NASMON_POLL_SESSION_SECONDS', text(env, 'NASMON_POLL_SESSION_SECONDS'), 60, {min: 0, max: 3000}, problems),
    sweepMinutes: numberIn('NASMON_SWEEP_MINUTES', text(env, 'NASMON_SWEEP_MINUTES'), 10, {min: 1, max: 1440}, problems),
    targetsTopic: topicOf(env, 'NASMON_TARGETS_TOPIC', 'poll-targets', problems),
    auth: readAuthConfig(env, problems),
    // Cloud Functions (gen2) cap an HTTP call at 60 minutes; below 1 s no Vertex call could finish.
    gateTimeoutMs: numberIn('NASMON_GATE_TIMEOUT_MS', text(env, 'NASMON_GATE_TIMEOUT_MS'), DEFAULT_GATE_TIMEOUT_MS, {min: 1000, max: 3_600_000}, problems),
    gateCallsPerMinute: numberIn('NASMON_GATE_CALLS_PER_MINUTE', text(env, 'NASMON_GATE_CALLS_PER_MINUTE'), DEFAULT_GATE_CALLS_PER_MINUTE, {min: 0, max: 1_000_000}, problems),
  });
}

// The pollers' interval; enforce and the gate read it too, as how long they keep their own events from the pollers.
function pollIntervalOf(env: Env, problems: Problems): number {
  return numberIn('NASMON_POLL_INTERVAL_SECONDS', text(env, 'NASMON_POLL_INTERVAL_SECONDS'), 10, {min: 1, max: 60}, problems);
}

function readVertexAccess(env: Env, problems: Problems): VertexAccess {
  const access: VertexAccess = {
    vertexApiEndpoint: httpUrl('VERTEX_API_ENDPOINT', text(env, 'VERTEX_API_ENDPOINT'), problems),
    vertexStaticToken: text(env, 'NASMON_VERTEX_STATIC_TOKEN'),
    quotaShare: numberIn('NASMON_QUOTA_SHARE', text(env, 'NASMON_QUOTA_SHARE'), 0.5, {min: 0.01, max: 1}, problems),
    readsPerMinute: numberIn('NASMON_READS_PER_MINUTE', text(env, 'NASMON_READS_PER_MINUTE'), 600, {min: 1, max: 100_000}, problems),
    writesPerMinute: numberIn('NASMON_WRITES_PER_MINUTE', text(env, 'NASMON_WRITES_PER_MINUTE'), 60, {min: 1, max: 100_000}, problems),
  };
  if (access.vertexStaticToken && !access.vertexApiEndpoint) {
    problems.push('NASMON_VERTEX_STATIC_TOKEN: only allowed with VERTEX_API_ENDPOINT (a simulator); real Vertex uses ADC');
  }
  return access;
}

function readNotifySettings(env: Env, problems: Problems): NotifySettings {
  const smtpUrl = text(env, 'NASMON_SMTP_URL');
  if (smtpUrl && !hasProtocol(smtpUrl, ['smtp:', 'smtps:'])) problems.push('NASMON_SMTP_URL: not an smtp:// or smtps:// URL (value not shown: it holds credentials)');
  const emailFrom = text(env, 'NASMON_EMAIL_FROM');
  if (emailFrom && !MAILBOX.test(emailFrom)) problems.push(`NASMON_EMAIL_FROM: "${emailFrom.slice(0, 80)}" is not an address like "nasmon <nasmon@example.com>"`);
  const groupSeconds = numberIn('NASMON_NOTIFY_GROUP_SECONDS', text(env, 'NASMON_NOTIFY_GROUP_SECONDS'), 30, {min: 0, max: 300}, problems);
  const consoleJobUrl = text(env, 'NASMON_CONSOLE_JOB_URL') ?? DEFAULT_CONSOLE_JOB_URL;
  if (!hasProtocol(consoleJobUrl.replace(/[{}]/g, ''), ['https:', 'http:']) || !consoleJobUrl.includes('{job}')) {
    problems.push('NASMON_CONSOLE_JOB_URL: must be an http(s) URL containing {job} (and usually {project}, {location})');
  }
  return {slackWebhooks: readWebhooks(env.NASMON_SLACK_WEBHOOKS, problems), smtpUrl, emailFrom, groupSeconds, consoleJobUrl};
}

// The variable is a secret: neither it nor any of its URLs may appear in a problem.
function readWebhooks(raw: string | undefined, problems: Problems): Map<string, string> {
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

function readEnforceSettings(env: Env, problems: Problems): EnforceSettings {
  return Object.freeze({
    forceDryRun: trueOrFalse('NASMON_ENFORCE_DRY_RUN', text(env, 'NASMON_ENFORCE_DRY_RUN'), problems),
    maxDuePerTick: wholeNumberIn('NASMON_ENFORCE_MAX_DUE_PER_TICK', text(env, 'NASMON_ENFORCE_MAX_DUE_PER_TICK'), 200, {min: 1, max: 5000}, problems),
    sweepEveryMs: wholeNumberIn('NASMON_ENFORCE_SWEEP_MINUTES', text(env, 'NASMON_ENFORCE_SWEEP_MINUTES'), 60, {min: 1, max: 10_080}, problems) * 60_000,
    concurrency: wholeNumberIn('NASMON_ENFORCE_CONCURRENCY', text(env, 'NASMON_ENFORCE_CONCURRENCY'), 8, {min: 1, max: 100}, problems),
  });
}

/**
 * NASMON_AUTH_MODE, NASMON_AUTH_AUDIENCE and NASMON_LOCAL_ISSUER_DIR. Local mode must be asked for
 * explicitly, and is refused when any production marker is set: its private key sits on disk and
 * anyone holding it could mint tokens, so it must never become a trust anchor of a deployed gate.
 */
function readAuthConfig(env: Env, problems: Problems): AuthConfig {
  const rawMode = env.NASMON_AUTH_MODE?.trim() || 'google';
  const mode = (AUTH_MODES as readonly string[]).includes(rawMode) ? (rawMode as AuthMode) : undefined;
  if (mode === undefined) problems.push(`NASMON_AUTH_MODE: "${rawMode}" must be one of ${AUTH_MODES.join(', ')}`);
  const markers = productionMarkers(env);
  if (mode === 'local' && markers.length > 0) {
    problems.push(`NASMON_AUTH_MODE: "local" is refused in production (${markers.join(', ')}); deployed gates accept only Google-signed ID tokens`);
  }
  const audiences = (env.NASMON_AUTH_AUDIENCE ?? '').split(',').map(entry => entry.trim()).filter(Boolean);
  for (const audience of audiences) {
    if (/\s/.test(audience) || audience.length > 2048) problems.push(`NASMON_AUTH_AUDIENCE: "${audience.slice(0, 80)}" is not a valid audience`);
  }
  return Object.freeze({
    mode: mode ?? 'google',
    // Only local tokens get a default audience: a Google-signed token can be minted for any audience.
    audiences: audiences.length > 0 || mode !== 'local' ? audiences : [LOCAL_DEFAULT_AUDIENCE],
    localIssuerDir: env.NASMON_LOCAL_ISSUER_DIR?.trim() || DEFAULT_LOCAL_ISSUER_DIR,
  });
}

/**
 * The production settings that are on, each as `NAME=value`: K_SERVICE (set by Cloud Run and Cloud
 * Functions gen2), FUNCTION_NAME (Cloud Functions gen1) and NASMON_ENV=production.
 */
export function productionMarkers(env: Env = process.env): string[] {
  const markers: string[] = [];
  for (const key of ['K_SERVICE', 'FUNCTION_NAME']) {
    const value = env[key]?.trim();
    if (value) markers.push(`${key}=${value} is set`);
  }
  if (env.NASMON_ENV?.trim() === 'production') markers.push('NASMON_ENV=production');
  return markers;
}

/**
 * Reads NASMON_CRASH_POINTS (`poll.afterCommit=0.05,enforce.midCancel=1`): the points where this
 * process kills itself with the given probability, for the chaos soak. Unset means none. Refused
 * whenever a production setting is on, as the local issuer is: a crash point is a deliberate outage.
 */
export function loadCrashPoints(env: Env = process.env): CrashPoints {
  const problems: Problems = [];
  const points = parseCrashPoints(text(env, 'NASMON_CRASH_POINTS'), problems);
  const markers = productionMarkers(env);
  if (points.size > 0 && markers.length > 0) {
    problems.push(`NASMON_CRASH_POINTS: refused in production (${markers.join(', ')}); crash points kill the function's process on purpose, for local chaos runs only`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return points;
}

function parseCrashPoints(raw: string | undefined, problems: Problems): Map<CrashPoint, number> {
  const points = new Map<CrashPoint, number>();
  const known = Object.keys(CRASH_POINTS);
  for (const entry of (raw ?? '').split(',').map(part => part.trim()).filter(Boolean)) {
    const shown = JSON.stringify(entry.slice(0, 80));
    const [name = '', probability, ...rest] = entry.split('=').map(part => part.trim());
    if (!known.includes(name)) {
      problems.push(`NASMON_CRASH_POINTS: ${shown} names no crash point; the points are ${known.join(', ')}`);
      continue;
    }
    const chance = probability === undefined || probability === '' || rest.length > 0 ? Number.NaN : Number(probability);
    if (!(chance >= 0 && chance <= 1)) {
      problems.push(`NASMON_CRASH_POINTS: ${shown} needs a probability from 0 to 1 (NAME=PROBABILITY, e.g. ${name}=0.05)`);
    } else if (points.has(name as CrashPoint)) {
      problems.push(`NASMON_CRASH_POINTS: ${name} is given twice`);
    } else {
      points.set(name as CrashPoint, chance);
    }
  }
  return points;
}

/** Parses `proj-a/us-central1,proj-b/europe-west4` into targets, de-duplicated. */
export function parseTargets(raw: string, problems: string[]): Target[] {
  const targets = new Map<string, Target>();
  const entries = raw.split(',').map(entry => entry.trim()).filter(Boolean);
  if (entries.length === 0) problems.push('NASMON_TARGETS: required, e.g. "my-project/us-central1,other/europe-west4"');
  for (const entry of entries) {
    const [project = '', location = '', ...rest] = entry.split('/');
    if (rest.length > 0 || !PROJECT.test(project) || !LOCATION.test(location)) {
      problems.push(`NASMON_TARGETS: "${entry}" is not PROJECT/LOCATION (e.g. my-project/us-central1)`);
      continue;
    }
    targets.set(`${project}/${location}`, {project, location});
  }
  return [...targets.values()];
}

/** A variable's value without surrounding blanks; undefined when unset or blank. */
function text(env: Env, key: string): string | undefined {
  return env[key]?.trim() || undefined;
}

function projectIdOf(env: Env, problems: Problems): string {
  const value = text(env, 'GOOGLE_CLOUD_PROJECT');
  if (!value) problems.push('GOOGLE_CLOUD_PROJECT: required');
  return value ?? '';
}

function topicOf(env: Env, key: string, fallback: string, problems: Problems): string {
  const topic = text(env, key) ?? fallback;
  if (!TOPIC_NAME.test(topic)) problems.push(`${key}: "${topic}" is not a valid Pub/Sub topic name`);
  return topic;
}

function requiredPolicy(path: string | undefined, fn: string, what: string, problems: Problems): string {
  if (!path) problems.push(`NASMON_POLICY: required by ${fn}, ${what}`);
  return path ?? '';
}

// ---- dashboard --------------------------------------------------------------------------------
// The dashboard's settings: kept in one block of their own (read by loadDashboardConfig only).

/** How the dashboard checks its viewers: Google identities (ID token and/or IAP), or not at all (local runs). */
export const DASHBOARD_AUTH_MODES = ['google', 'none'] as const;
/** One of {@link DASHBOARD_AUTH_MODES}. */
export type DashboardAuthMode = (typeof DASHBOARD_AUTH_MODES)[number];

/** The dashboard's authentication settings. */
export interface DashboardAuthConfig {
  readonly mode: DashboardAuthMode;
  /** Accepted `aud` of `Authorization: Bearer` ID tokens (the dashboard's URL); empty: no ID tokens. */
  readonly idTokenAudiences: readonly string[];
  /** Who signs those ID tokens: Google, or nasmon's local issuer (NASMON_AUTH_MODE, as for the gate). */
  readonly idTokenMode: AuthMode;
  readonly localIssuerDir: string;
  /** Accepted `aud` of IAP's `x-goog-iap-jwt-assertion`; empty: no IAP. */
  readonly iapAudiences: readonly string[];
}

/** The dashboard's configuration. It reads Vertex only for trial metrics, which the mirror does not keep. */
export interface DashboardConfig extends VertexAccess {
  readonly projectId: string;
  /** Access grants decide who sees which job, runtime rules give each job its limit; required unless open. */
  readonly policyPath: string | undefined;
  readonly auth: DashboardAuthConfig;
  /** The most jobs the table reads (newest first). */
  readonly maxJobs: number;
  /** How often the page refreshes itself. */
  readonly refreshSeconds: number;
  /** `vertex`: a job's trial curve is read with one `get` per change of its trials; `off`: no curves. */
  readonly trials: 'vertex' | 'off';
}

/**
 * Reads and validates the dashboard's configuration. Like the gate's local mode, an open dashboard
 * must be asked for (NASMON_DASHBOARD_AUTH=none) and is refused whenever production settings are on.
 */
export function loadDashboardConfig(env: Env = process.env): DashboardConfig {
  return checked(problems => {
    const rawMode = text(env, 'NASMON_DASHBOARD_AUTH') ?? 'google';
    const mode = (DASHBOARD_AUTH_MODES as readonly string[]).includes(rawMode) ? (rawMode as DashboardAuthMode) : 'google';
    if (mode !== rawMode) problems.push(`NASMON_DASHBOARD_AUTH: "${rawMode.slice(0, 40)}" must be one of ${DASHBOARD_AUTH_MODES.join(', ')}`);
    const markers = productionMarkers(env);
    if (mode === 'none' && markers.length > 0) {
      problems.push(`NASMON_DASHBOARD_AUTH: "none" is refused in production (${markers.join(', ')}); a deployed dashboard checks ID tokens or IAP`);
    }
    const {mode: idTokenMode, localIssuerDir} = readAuthConfig(env, problems);
    const auth = {
      mode, idTokenMode, localIssuerDir,
      idTokenAudiences: audienceList(env, 'NASMON_DASHBOARD_AUDIENCE', /^\S{1,2048}$/, problems),
      iapAudiences: audienceList(env, 'NASMON_DASHBOARD_IAP_AUDIENCE', /^\/projects\/\d{1,20}\/(global\/backendServices\/\d{1,30}|apps\/[a-z][a-z0-9-]{1,62})$/, problems),
    };
    if (mode === 'google' && auth.idTokenAudiences.length + auth.iapAudiences.length === 0) {
      problems.push('NASMON_DASHBOARD_AUDIENCE or NASMON_DASHBOARD_IAP_AUDIENCE: at least one is required (the dashboard URL for ID tokens; /projects/NUMBER/global/backendServices/ID for IAP)');
    }
    const policyPath = text(env, 'NASMON_POLICY');
    if (mode === 'google') requiredPolicy(policyPath, 'the dashboard', 'whose access grants decide who sees which job', problems);
    const trials = text(env, 'NASMON_DASHBOARD_TRIALS') ?? 'vertex';
    if (trials !== 'vertex' && trials !== 'off') problems.push(`NASMON_DASHBOARD_TRIALS: "${trials.slice(0, 40)}" must be vertex or off`);
    return {
      projectId: projectIdOf(env, problems), ...readVertexAccess(env, problems), policyPath, auth,
      maxJobs: wholeNumberIn('NASMON_DASHBOARD_MAX_JOBS', text(env, 'NASMON_DASHBOARD_MAX_JOBS'), 500, {min: 1, max: 5000}, problems),
      refreshSeconds: numberIn('NASMON_DASHBOARD_REFRESH_SECONDS', text(env, 'NASMON_DASHBOARD_REFRESH_SECONDS'), 5, {min: 1, max: 300}, problems),
      trials: trials === 'off' ? 'off' : 'vertex',
    };
  });
}

function audienceList(env: Env, key: string, valid: RegExp, problems: Problems): string[] {
  const audiences = (text(env, key) ?? '').split(',').map(entry => entry.trim()).filter(Boolean);
  for (const audience of audiences) if (!valid.test(audience)) problems.push(`${key}: "${audience.slice(0, 80)}" is not a valid audience`);
  return audiences;
}
