// The gate's authentication settings. Kept apart from shared/config.ts until the lead merges them;
// same rules: read the environment once, report every problem at once, each naming its variable.
import {ConfigError} from '../../config.js';

/** How ID tokens are checked: Google-signed (production), or signed by nasmon's local issuer (local runs, tests). */
export const AUTH_MODES = ['google', 'local'] as const;
/** One of {@link AUTH_MODES}. */
export type AuthMode = (typeof AUTH_MODES)[number];

/** Validated authentication settings. */
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

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads NASMON_AUTH_MODE, NASMON_AUTH_AUDIENCE and NASMON_LOCAL_ISSUER_DIR. Local mode must be asked for
 * explicitly, and is refused when any production marker is set: its private key sits on disk and anyone
 * holding it could mint tokens, so it must never become a trust anchor of a deployed gate.
 */
export function loadAuthConfig(env: Env = process.env): AuthConfig {
  const problems: string[] = [];
  const config = readAuthConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Like loadAuthConfig, but appends problems to `problems` instead of throwing (for merging into loadConfig). */
export function readAuthConfig(env: Env, problems: string[]): AuthConfig {
  const rawMode = env.NASMON_AUTH_MODE?.trim() || 'google';
  const mode = (AUTH_MODES as readonly string[]).includes(rawMode) ? (rawMode as AuthMode) : undefined;
  if (mode === undefined) problems.push(`NASMON_AUTH_MODE: "${rawMode}" must be one of ${AUTH_MODES.join(', ')}`);
  if (mode === 'local') {
    const markers = productionMarkers(env);
    if (markers.length > 0) {
      problems.push(`NASMON_AUTH_MODE: "local" is refused in production (${markers.join(', ')}); deployed gates accept only Google-signed ID tokens`);
    }
  }
  const audiences = (env.NASMON_AUTH_AUDIENCE ?? '').split(',').map(entry => entry.trim()).filter(Boolean);
  for (const audience of audiences) {
    if (/\s/.test(audience) || audience.length > 2048) problems.push(`NASMON_AUTH_AUDIENCE: "${audience.slice(0, 80)}" is not a valid audience`);
  }
  if (audiences.length === 0 && mode !== 'local') {
    problems.push("NASMON_AUTH_AUDIENCE: required, the gate function's URL, e.g. https://REGION-PROJECT.cloudfunctions.net/nasJobsApi");
  }
  return Object.freeze({
    mode: mode ?? 'google',
    audiences: audiences.length > 0 ? audiences : [LOCAL_DEFAULT_AUDIENCE],
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
