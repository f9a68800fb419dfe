import {LABEL_KEY, LABEL_VALUE, readKindedRule, type ParseContext} from './parse-context.js';
import {readCallers} from './parse-principals.js';
import type {ActionRule, CallerMatcher, JobAction, JobRelation} from './policy.js';
import type {Path} from './schema-reader.js';

// `actionRules:` — checks on cancel and delete, after the access grants allowed the call.

const JOB_ACTIONS: readonly JobAction[] = ['cancel', 'delete'];
const RELATIONS: readonly JobRelation[] = ['own', 'team', 'any'];

const ACTION_KINDS = {
  'ownership': {required: ['allow'], optional: ['actions', 'exempt']},
  'protected-label': {required: ['key'], optional: ['value', 'actions', 'exempt']},
  'terminal-only': {optional: ['actions', 'exempt']},
} as const;

// ownership covers both actions by default; the other two exist for delete.
const DEFAULT_ACTIONS: Readonly<Record<keyof typeof ACTION_KINDS, readonly JobAction[]>> = {
  'ownership': ['cancel', 'delete'],
  'protected-label': ['delete'],
  'terminal-only': ['delete'],
};

/** Reads one action rule. */
export function readActionRule(ctx: ParseContext, value: unknown, path: Path): ActionRule | undefined {
  const rule = readKindedRule(ctx, value, path, ACTION_KINDS);
  if (!rule) return undefined;
  const {kind, raw, base} = rule;
  const r = ctx.reader;
  const actions = raw.actions === undefined
    ? DEFAULT_ACTIONS[kind]
    : r.list(raw.actions, [...path, 'actions'], (item, p) => r.oneOf(item, p, JOB_ACTIONS), {nonEmpty: true});
  if (kind === 'terminal-only' && actions?.includes('cancel')) {
    r.report([...path, 'actions'], 'terminal-only applies to delete only (a terminal job cannot be cancelled)');
  }
  const exempt = raw.exempt === undefined ? undefined : readCallers(ctx, raw.exempt, [...path, 'exempt']);
  if (!base || !actions || actions.length === 0 || (raw.exempt !== undefined && !exempt)) return undefined;
  const common = {...base, actions: new Set(actions), ...(exempt ? {exempt} : {})};
  switch (kind) {
    case 'ownership': {
      const allow = r.list(raw.allow, [...path, 'allow'], (item, p) => readAllowance(ctx, item, p), {nonEmpty: true});
      return allow && allow.length > 0 ? {...common, kind, allow} : undefined;
    }
    case 'protected-label': {
      const key = r.string(raw.key, [...path, 'key'], {pattern: LABEL_KEY, expected: 'a label key'});
      const labelValue = raw.value === undefined ? undefined : r.string(raw.value, [...path, 'value'], {pattern: LABEL_VALUE, expected: 'a label value'});
      if (key === undefined || (raw.value !== undefined && labelValue === undefined)) return undefined;
      return {...common, kind, key, ...(labelValue === undefined ? {} : {value: labelValue})};
    }
    case 'terminal-only':
      return {...common, kind};
  }
}

function readAllowance(ctx: ParseContext, value: unknown, path: Path): {callers?: CallerMatcher; jobs: JobRelation} | undefined {
  const raw = ctx.reader.object(value, path, {required: ['jobs'], optional: ['callers']});
  if (!raw) return undefined;
  const jobs = raw.jobs === undefined ? undefined : ctx.reader.oneOf(raw.jobs, [...path, 'jobs'], RELATIONS);
  const callers = raw.callers === undefined ? undefined : readCallers(ctx, raw.callers, [...path, 'callers']);
  if (!jobs || (raw.callers !== undefined && !callers)) return undefined;
  return {jobs, ...(callers ? {callers} : {})};
}
