// enforce's settings. Kept apart from shared/config.ts until the lead merges them; same rules: read
// the environment once, report every problem at once, each naming its variable.
import {ConfigError} from '../../config.js';
import type {EnforceSettings} from '../../use-cases/enforce/enforce-deps.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads NASMON_ENFORCE_DRY_RUN, NASMON_ENFORCE_MAX_DUE_PER_TICK, NASMON_ENFORCE_SWEEP_MINUTES and NASMON_ENFORCE_CONCURRENCY. */
export function loadEnforceConfig(env: Env = process.env): EnforceSettings {
  const problems: string[] = [];
  const settings = readEnforceConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/** Like loadEnforceConfig, but appends problems to `problems` instead of throwing (for merging into loadConfig). */
export function readEnforceConfig(env: Env, problems: string[]): EnforceSettings {
  return Object.freeze({
    forceDryRun: flag(env, 'NASMON_ENFORCE_DRY_RUN', problems),
    maxDuePerTick: integer(env, 'NASMON_ENFORCE_MAX_DUE_PER_TICK', 200, {min: 1, max: 5000}, problems),
    sweepEveryMs: integer(env, 'NASMON_ENFORCE_SWEEP_MINUTES', 60, {min: 1, max: 10_080}, problems) * 60_000,
    concurrency: integer(env, 'NASMON_ENFORCE_CONCURRENCY', 8, {min: 1, max: 100}, problems),
  });
}

// Only the two spellings everyone agrees on: a typo such as "ture" must not quietly mean "cancel for real".
function flag(env: Env, key: string, problems: string[]): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (!raw) return false;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  problems.push(`${key}: "${env[key]}" must be true or false`);
  return false;
}

function integer(env: Env, key: string, fallback: number, range: {min: number; max: number}, problems: string[]): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    problems.push(`${key}: "${raw}" must be a whole number from ${range.min} to ${range.max}`);
    return fallback;
  }
  return value;
}
