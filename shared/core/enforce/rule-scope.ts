import {matchesName} from '../policy/name-matcher.js';
import {TEAM_LABEL, type LimitOverride, type RuntimeRule, type RuntimeSelector} from '../policy/policy.js';
import type {JobFacts} from './job-facts.js';

// Which rules watch a job, and with what limit: selectors, the exemption label and per-job limits.

/** Label values that exempt a job from every rule. */
const EXEMPT_ALL = new Set(['true', 'all']);

/** True when the selector covers the job (a project matches by configured ID or by number). */
export function selects(selector: RuntimeSelector, facts: JobFacts): boolean {
  if (!facts.projects.some(project => matchesName(selector.projects, project))) return false;
  if (!matchesName(selector.locations, facts.location)) return false;
  const team = facts.labels[TEAM_LABEL];
  if (selector.teams && (team === undefined || !selector.teams.has(team))) return false;
  for (const [key, wanted] of selector.labels) {
    const value = facts.labels[key];
    if (value === undefined || (wanted !== '*' && value !== wanted)) return false;
  }
  return true;
}

/** True when the job's exemption label names this rule, or every rule. */
export function isExempt(exemptLabel: string, rule: Pick<RuntimeRule, 'name'>, facts: JobFacts): boolean {
  const value = facts.labels[exemptLabel];
  return value !== undefined && (EXEMPT_ALL.has(value) || value === rule.name);
}

/** The limit that applies to one job, and why. */
export interface ResolvedLimit {
  readonly seconds: number;
  readonly source: 'policy' | 'label';
  /** Said in the reason when the label could not be used as written. */
  readonly note?: string;
}

// A label value is digits, optionally with a unit: `48` (hours, as in nasmon-max-run-hours), `90m`, `36h`, `7d`.
const LABEL_DURATION = /^(\d{1,7})([smhd]?)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = {'': 3600, s: 1, m: 60, h: 3600, d: 86_400};

/** The rule's limit, or the job's own from the override label, held within the policy's bounds. */
export function resolveLimit(limitSeconds: number, override: LimitOverride | undefined, labels: Readonly<Record<string, string>>): ResolvedLimit {
  const value = override && labels[override.label];
  if (!override || value === undefined) return {seconds: limitSeconds, source: 'policy'};
  const m = LABEL_DURATION.exec(value);
  const asked = m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : undefined;
  if (asked === undefined || asked <= 0) {
    return {seconds: limitSeconds, source: 'policy', note: `label ${override.label}=${value} is not a duration; the policy's limit applies`};
  }
  if (asked > override.maxSeconds) {
    return {seconds: override.maxSeconds, source: 'label', note: `label ${override.label}=${value} asks for more than the policy's maximum, ${formatSeconds(override.maxSeconds)}, which applies`};
  }
  if (override.minSeconds !== undefined && asked < override.minSeconds) {
    return {seconds: override.minSeconds, source: 'label', note: `label ${override.label}=${value} asks for less than the policy's minimum, ${formatSeconds(override.minSeconds)}, which applies`};
  }
  return {seconds: asked, source: 'label'};
}

/** A duration for people: `45s`, `90m`, `36h`, `7d`, `2.5d`. */
export function formatSeconds(seconds: number): string {
  const units: Array<[string, number]> = [['d', 86_400], ['h', 3600], ['m', 60]];
  for (const [unit, size] of units) {
    if (seconds >= 2 * size || (seconds >= size && seconds % size === 0)) return `${round(seconds / size)}${unit}`;
  }
  return `${round(seconds)}s`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
