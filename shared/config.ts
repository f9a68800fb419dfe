// The only place that reads the environment. Every problem is collected and reported at once, so
// a broken deploy is fixed in one round instead of one variable at a time.
import {NasmonError} from './errors.js';

/** A Vertex location to watch. */
export interface Target {
  readonly project: string;
  readonly location: string;
}

export interface Config {
  readonly projectId: string;
  readonly targets: readonly Target[];
  /** Base URL for every Vertex call; undefined means the regional endpoint of each location. */
  readonly vertexApiEndpoint: string | undefined;
  /** A fixed bearer token for Vertex calls, for the local simulator only; production uses ADC. */
  readonly vertexStaticToken: string | undefined;
  readonly eventsTopic: string;
  readonly policyPath: string | undefined;
  readonly pollIntervalSeconds: number;
  /** How long one pollTarget invocation keeps polling (less than the scheduler period). */
  readonly pollSessionSeconds: number;
  /** How often a cycle lists every job to notice deletions of finished jobs. */
  readonly sweepMinutes: number;
  /** Topic on which pollNasJobs fans out one message per target. */
  readonly targetsTopic: string;
  /** Share of the Vertex request quotas (reads, writes) per project and region that nasmon may use. */
  readonly quotaShare: number;
  readonly readsPerMinute: number;
  /** The Vertex job-submission quota (create, delete) per project and region; nasmon uses `quotaShare` of it. */
  readonly writesPerMinute: number;
  /** How callers of the gate (nasJobsApi) authenticate. */
  readonly auth: AuthConfig;
  /** Time limit of one gate call; past it the caller gets 504 DEADLINE_EXCEEDED. */
  readonly gateTimeoutMs: number;
}

/** What nasJobsApi needs on top of {@link Config}: a policy file, and (in google mode) an audience. */
export interface GateConfig extends Config {
  readonly policyPath: string;
}

/** How ID tokens are checked: Google-signed (production), or signed by nasmon's local issuer (local runs, tests). */
export const AUTH_MODES = ['google', 'local'] as const;
/** One of {@link AUTH_MODES}. */
export type AuthMode = (typeof AUTH_MODES)[number];

/** The gate's authentication settings. */
export interface AuthConfig {
  readonly mode: AuthMode;
  /** Accepted token audiences: the function's URL (plus any custom domain in front of it). */
  readonly audiences: readonly string[];
  /** Where the local issuer keeps its key pair (local mode only). */
  readonly localIssuerDir: string;
}

/** The audience local tokens carry unless told otherwise (the functions framework's default address). */
export const LOCAL_DEFAULT_AUDIENCE = 'http://localhost:8080';
/** The default key directory of the local issuer, relative to the working directory (git-ignored). */
export const DEFAULT_LOCAL_ISSUER_DIR = '.nasmon/local-issuer';
/** Default time limit of one gate call: room for a Vertex call (20 s per attempt) and the audit write. */
export const DEFAULT_GATE_TIMEOUT_MS = 30_000;

/** Thrown by loadConfig with every problem found. */
export class ConfigError extends NasmonError {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super('config-invalid', `invalid configuration: ${problems.join('; ')}`);
  }
}

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{6,20}$/;
const LOCATION = /^[a-z]+(-[a-z]+)*\d*(-[a-z0-9]+)*$/;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates nasmon's configuration from `env`. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const config = readConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * loadConfig plus what the gate cannot run without, every problem reported at once: the policy file,
 * and in google mode the audience its tokens must carry (the poller functions need neither).
 */
export function loadGateConfig(env: Env = process.env): GateConfig {
  const problems: string[] = [];
  const config = readConfig(env, problems);
  if (!config.policyPath) problems.push('NASMON_POLICY: required by nasJobsApi, the path of the policy file (YAML or JSON)');
  if (config.auth.mode === 'google' && config.auth.audiences.length === 0) {
    problems.push("NASMON_AUTH_AUDIENCE: required by nasJobsApi, the gate function's URL, e.g. https://REGION-PROJECT.cloudfunctions.net/nasJobsApi");
  }
  if (problems.length > 0 || !config.policyPath) throw new ConfigError(problems);
  return Object.freeze({...config, policyPath: config.policyPath});
}

function readConfig(env: Env, problems: string[]): Config {
  const config: Config = {
    projectId: required(env, 'GOOGLE_CLOUD_PROJECT', problems),
    targets: parseTargets(env.NASMON_TARGETS ?? '', problems),
    vertexApiEndpoint: optionalUrl(env, 'VERTEX_API_ENDPOINT', problems),
    vertexStaticToken: env.NASMON_VERTEX_STATIC_TOKEN?.trim() || undefined,
    eventsTopic: env.NASMON_EVENTS_TOPIC?.trim() || 'nasjob-events',
    policyPath: env.NASMON_POLICY?.trim() || undefined,
    pollIntervalSeconds: number(env, 'NASMON_POLL_INTERVAL_SECONDS', 10, {min: 1, max: 60}, problems),
    pollSessionSeconds: number(env, 'NASMON_POLL_SESSION_SECONDS', 60, {min: 0, max: 3000}, problems),
    sweepMinutes: number(env, 'NASMON_SWEEP_MINUTES', 10, {min: 1, max: 1440}, problems),
    targetsTopic: env.NASMON_TARGETS_TOPIC?.trim() || 'poll-targets',
    quotaShare: number(env, 'NASMON_QUOTA_SHARE', 0.5, {min: 0.01, max: 1}, problems),
    readsPerMinute: number(env, 'NASMON_READS_PER_MINUTE', 600, {min: 1, max: 100_000}, problems),
    writesPerMinute: number(env, 'NASMON_WRITES_PER_MINUTE', 60, {min: 1, max: 100_000}, problems),
    auth: readAuthConfig(env, problems),
    // Cloud Functions (gen2) cap an HTTP call at 60 minutes; below 1 s no Vertex call could finish.
    gateTimeoutMs: number(env, 'NASMON_GATE_TIMEOUT_MS', DEFAULT_GATE_TIMEOUT_MS, {min: 1000, max: 3_600_000}, problems),
  };
  for (const [key, topic] of [['NASMON_EVENTS_TOPIC', config.eventsTopic], ['NASMON_TARGETS_TOPIC', config.targetsTopic]]) {
    if (!/^[a-zA-Z][a-zA-Z0-9._~%+-]{2,254}$/.test(topic!)) problems.push(`${key}: "${topic}" is not a valid Pub/Sub topic name`);
  }
  if (config.vertexStaticToken && !config.vertexApiEndpoint) {
    problems.push('NASMON_VERTEX_STATIC_TOKEN: only allowed with VERTEX_API_ENDPOINT (a simulator); real Vertex uses ADC');
  }
  return Object.freeze(config);
}

/**
 * NASMON_AUTH_MODE, NASMON_AUTH_AUDIENCE and NASMON_LOCAL_ISSUER_DIR. Local mode must be asked for
 * explicitly, and is refused when any production marker is set: its private key sits on disk and
 * anyone holding it could mint tokens, so it must never become a trust anchor of a deployed gate.
 */
function readAuthConfig(env: Env, problems: string[]): AuthConfig {
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

function required(env: Env, key: string, problems: string[]): string {
  const value = env[key]?.trim();
  if (!value) problems.push(`${key}: required`);
  return value ?? '';
}

function optionalUrl(env: Env, key: string, problems: string[]): string | undefined {
  const value = env[key]?.trim();
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return value.replace(/\/+$/, '');
  } catch {
    problems.push(`${key}: "${value}" is not an http(s) URL`);
    return undefined;
  }
}

function number(env: Env, key: string, fallback: number, range: {min: number; max: number}, problems: string[]): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    problems.push(`${key}: "${raw}" must be a number from ${range.min} to ${range.max}`);
    return fallback;
  }
  return value;
}
