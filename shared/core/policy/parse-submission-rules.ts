import {LABEL_KEY, readKindedRule, readNameList, readTeamRefs, requireOneOf, type ParseContext} from './parse-context.js';
import {readDuration} from './parse-mutations.js';
import type {SubmissionRule, TrialLimits} from './policy.js';
import {compileSafePattern, type SafePattern} from './safe-pattern.js';
import type {Path} from './schema-reader.js';

// `submissionRules:` — checks on a create, run on the job after mutations.

const INT32_MAX = 2_147_483_647;
const ACCELERATOR_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

const SUBMISSION_KINDS = {
  'regions': {required: ['allowed']},
  'machine-types': {required: ['allowed']},
  'accelerators': {optional: ['allowed', 'maxPerWorker']},
  'trial-counts': {optional: ['search', 'train']},
  'labels': {optional: ['required', 'patterns']},
  'cmek': {optional: ['required', 'keyPattern']},
  'display-name': {required: ['pattern']},
  'trial-timeout': {optional: ['required', 'max']},
  'team-concurrency': {required: ['maxActiveJobs'], optional: ['perTeam']},
  'accelerator-hours': {required: ['maxPerJob']},
} as const;

type Kind = keyof typeof SUBMISSION_KINDS;
type Body = {[K in Kind]: Omit<Extract<SubmissionRule, {kind: K}>, 'name' | 'mode' | 'scope'>}[Kind];

/** Reads one submission rule. */
export function readSubmissionRule(ctx: ParseContext, value: unknown, path: Path): SubmissionRule | undefined {
  const rule = readKindedRule(ctx, value, path, SUBMISSION_KINDS);
  if (!rule) return undefined;
  const body = readBody(ctx, rule.kind, rule.raw, path);
  return rule.base && body ? ({...rule.base, ...body} as SubmissionRule) : undefined;
}

function readBody(ctx: ParseContext, kind: Kind, raw: Record<string, unknown>, path: Path): Body | undefined {
  const r = ctx.reader;
  const at = (key: string): Path => [...path, key];
  switch (kind) {
    case 'regions':
    case 'machine-types': {
      const allowed = readNameList(r, raw.allowed, at('allowed'));
      return allowed && {kind, allowed};
    }
    case 'accelerators': {
      if (!requireOneOf(ctx, raw, path, ['allowed', 'maxPerWorker'])) return undefined;
      const allowed = raw.allowed === undefined ? undefined : r.list(raw.allowed, at('allowed'), (item, p) =>
        r.string(item, p, {pattern: ACCELERATOR_NAME, expected: 'an AcceleratorType name like NVIDIA_TESLA_T4'}));
      const maxPerWorker = raw.maxPerWorker === undefined ? undefined : r.integer(raw.maxPerWorker, at('maxPerWorker'), {min: 0, max: 100_000});
      if ((raw.allowed !== undefined && !allowed) || (raw.maxPerWorker !== undefined && maxPerWorker === undefined)) return undefined;
      return {kind, ...(allowed ? {allowed: new Set(allowed)} : {}), ...(maxPerWorker === undefined ? {} : {maxPerWorker})};
    }
    case 'trial-counts': {
      if (!requireOneOf(ctx, raw, path, ['search', 'train'])) return undefined;
      const limits = readTrialLimits(ctx, raw, path);
      return limits && {kind, ...limits};
    }
    case 'labels': {
      if (!requireOneOf(ctx, raw, path, ['required', 'patterns'])) return undefined;
      const required = raw.required === undefined ? [] : r.list(raw.required, at('required'), (item, p) =>
        r.string(item, p, {pattern: LABEL_KEY, expected: 'a label key'}));
      const patterns = new Map<string, SafePattern>();
      for (const [key, source] of raw.patterns === undefined ? [] : r.entries(raw.patterns, at('patterns')) ?? []) {
        r.string(key, [...path, 'patterns', key], {pattern: LABEL_KEY, expected: 'a label key'});
        const pattern = readPattern(ctx, source, [...path, 'patterns', key]);
        if (pattern) patterns.set(key, pattern);
      }
      return required && {kind, required, patterns};
    }
    case 'cmek': {
      const required = raw.required === undefined ? true : r.boolean(raw.required, at('required'));
      const keyPattern = raw.keyPattern === undefined ? undefined : readPattern(ctx, raw.keyPattern, at('keyPattern'));
      if (required === undefined || (raw.keyPattern !== undefined && !keyPattern)) return undefined;
      return {kind, required, ...(keyPattern ? {keyPattern} : {})};
    }
    case 'display-name': {
      const pattern = readPattern(ctx, raw.pattern, at('pattern'));
      return pattern && {kind, pattern};
    }
    case 'trial-timeout': {
      if (!requireOneOf(ctx, raw, path, ['required', 'max'])) return undefined;
      const required = raw.required === undefined ? false : r.boolean(raw.required, at('required'));
      const maxSeconds = raw.max === undefined ? undefined : readDuration(ctx, raw.max, at('max'));
      if (required === undefined || (raw.max !== undefined && maxSeconds === undefined)) return undefined;
      return {kind, required, ...(maxSeconds === undefined ? {} : {maxSeconds})};
    }
    case 'team-concurrency': {
      const maxActiveJobs = r.integer(raw.maxActiveJobs, at('maxActiveJobs'), {min: 0, max: 1_000_000});
      const perTeam = new Map<string, number>();
      for (const [team, limit] of raw.perTeam === undefined ? [] : r.entries(raw.perTeam, at('perTeam')) ?? []) {
        const known = readTeamRefs(ctx, [team], [...path, 'perTeam', team]);
        const max = r.integer(limit, [...path, 'perTeam', team], {min: 0, max: 1_000_000});
        if (known && max !== undefined) perTeam.set(team, max);
      }
      return maxActiveJobs === undefined ? undefined : {kind, maxActiveJobs, perTeam};
    }
    case 'accelerator-hours': {
      const maxPerJob = r.integer(raw.maxPerJob, at('maxPerJob'), {min: 0, max: 1e12});
      return maxPerJob === undefined ? undefined : {kind, maxPerJob};
    }
  }
}

function readTrialLimits(ctx: ParseContext, raw: Record<string, unknown>, path: Path): TrialLimits | undefined {
  const r = ctx.reader;
  const limits: Record<string, number> = {};
  let ok = true;
  const stages = [
    ['search', 'search', ['maxTrialCount', 'maxParallelTrialCount', 'maxFailedTrialCount']],
    ['train', 'train', ['maxParallelTrialCount', 'minFrequency']],
  ] as const;
  for (const [key, prefix, fields] of stages) {
    if (raw[key] === undefined) continue;
    const stage = r.object(raw[key], [...path, key], {optional: fields});
    if (!stage) ok = false;
    for (const field of fields) {
      if (stage?.[field] === undefined) continue;
      const limit = r.integer(stage[field], [...path, key, field], {min: field === 'minFrequency' ? 1 : 0, max: INT32_MAX});
      if (limit === undefined) ok = false;
      else limits[`${prefix}${field[0]!.toUpperCase()}${field.slice(1)}`] = limit;
    }
  }
  return ok ? (limits as TrialLimits) : undefined;
}

/** Reads a regex and compiles it within the safe subset (see safe-pattern.ts). */
export function readPattern(ctx: ParseContext, value: unknown, path: Path): SafePattern | undefined {
  const source = ctx.reader.string(value, path);
  if (source === undefined) return undefined;
  const compiled = compileSafePattern(source);
  if ('error' in compiled) {
    ctx.reader.report(path, compiled.error);
    return undefined;
  }
  return compiled;
}
