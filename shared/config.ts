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
  /** Share of the 600 reads/min per project and region that nasmon may use. */
  readonly quotaShare: number;
  readonly readsPerMinute: number;
}

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
  };
  for (const [key, topic] of [['NASMON_EVENTS_TOPIC', config.eventsTopic], ['NASMON_TARGETS_TOPIC', config.targetsTopic]]) {
    if (!/^[a-zA-Z][a-zA-Z0-9._~%+-]{2,254}$/.test(topic!)) problems.push(`${key}: "${topic}" is not a valid Pub/Sub topic name`);
  }
  if (config.vertexStaticToken && !config.vertexApiEndpoint) {
    problems.push('NASMON_VERTEX_STATIC_TOKEN: only allowed with VERTEX_API_ENDPOINT (a simulator); real Vertex uses ADC');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
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
