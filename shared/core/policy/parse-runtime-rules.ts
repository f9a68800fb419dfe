import {ANY_NAME} from './name-matcher.js';
import {LABEL_KEY, LABEL_VALUE, readNameList, readRuleName, readTeamRefs, requireOneOf, type ParseContext} from './parse-context.js';
import {readDuration} from './parse-mutations.js';
import {
  RUNTIME_RULE_KINDS, type FailedTrialsRule, type LimitOverride, type RuntimePolicy, type RuntimeRule, type RuntimeRuleKind,
  type RuntimeSelector, type TimedRuntimeRule,
} from './policy.js';
import type {Path} from './schema-reader.js';

// `runtime:` — the rules `enforce` applies to jobs while they wait or run (docs/policy.md, "Runtime
// rules"). Like every section, each mistake is reported at its path and reading carries on.

/** The label that exempts a job unless the file names another. */
export const DEFAULT_EXEMPT_LABEL = 'nasmon-exempt';

const SECTION_KEYS = ['dryRun', 'exemptLabel', 'cancelVerification', 'rules'];
const COMMON_KEYS = ['name', 'kind', 'mode', 'appliesTo', 'warnAt', 'dryRun'];
const MODES = ['enforce', 'warn', 'audit'] as const;
const KIND_KEYS: Readonly<Record<RuntimeRuleKind, {readonly required: readonly string[]; readonly optional: readonly string[]}>> = {
  'max-run-time': {required: ['limit'], optional: ['override']},
  'max-queue-time': {required: ['limit'], optional: ['override']},
  'no-progress': {required: ['limit'], optional: ['override']},
  'projected-overrun': {required: ['limit'], optional: ['override', 'minFinishedTrials']},
  'failed-trials': {required: [], optional: ['maxFailedShare', 'maxFailedCount', 'ofMaxFailedTrialCount', 'minFinishedTrials']},
};
// Fewer finished trials than this make a projection or a failure share mostly noise.
const DEFAULT_MIN_FINISHED: Readonly<Record<RuntimeRuleKind, number>> = {
  'max-run-time': 0, 'max-queue-time': 0, 'no-progress': 0, 'projected-overrun': 3, 'failed-trials': 10,
};
const DEFAULT_REISSUE_SECONDS = 600;
const DEFAULT_CANCEL_TIMEOUT_SECONDS = 3600;
const EVERY_JOB: RuntimeSelector = {projects: ANY_NAME, locations: ANY_NAME, labels: new Map()};

/** Reads the `runtime:` section; an absent section means no rules and the defaults. */
export function readRuntimePolicy(ctx: ParseContext, value: unknown, path: Path): RuntimePolicy {
  const empty: RuntimePolicy = {
    rules: [], dryRun: false, exemptLabel: DEFAULT_EXEMPT_LABEL, reissueCancelAfterSeconds: DEFAULT_REISSUE_SECONDS,
    cancelTimeoutSeconds: DEFAULT_CANCEL_TIMEOUT_SECONDS, fingerprint: fingerprintOf(value ?? null),
  };
  if (value == null) return empty;
  const r = ctx.reader;
  const raw = r.object(value, path, {optional: SECTION_KEYS});
  if (!raw) return empty;
  const dryRun = raw.dryRun === undefined ? false : r.boolean(raw.dryRun, [...path, 'dryRun']);
  const exemptLabel = raw.exemptLabel === undefined
    ? DEFAULT_EXEMPT_LABEL
    : r.string(raw.exemptLabel, [...path, 'exemptLabel'], {pattern: LABEL_KEY, expected: 'a label key'});
  const timing = readCancelVerification(ctx, raw.cancelVerification, [...path, 'cancelVerification']);
  const rules = raw.rules == null ? [] : r.list(raw.rules, [...path, 'rules'], (item, p) => readRuntimeRule(ctx, item, p), {maxItems: 200});
  return {...empty, ...timing, rules: rules ?? [], dryRun: dryRun ?? false, exemptLabel: exemptLabel ?? DEFAULT_EXEMPT_LABEL};
}

function readCancelVerification(ctx: ParseContext, value: unknown, path: Path) {
  const timing = {reissueCancelAfterSeconds: DEFAULT_REISSUE_SECONDS, cancelTimeoutSeconds: DEFAULT_CANCEL_TIMEOUT_SECONDS};
  if (value == null) return timing;
  const raw = ctx.reader.object(value, path, {optional: ['reissueAfter', 'giveUpAfter']});
  if (!raw) return timing;
  const reissue = raw.reissueAfter === undefined ? timing.reissueCancelAfterSeconds : readDuration(ctx, raw.reissueAfter, [...path, 'reissueAfter']);
  const timeout = raw.giveUpAfter === undefined ? timing.cancelTimeoutSeconds : readDuration(ctx, raw.giveUpAfter, [...path, 'giveUpAfter']);
  if (reissue === undefined || timeout === undefined) return timing;
  // Giving up before the first re-issue would never re-issue at all.
  if (timeout <= reissue) ctx.reader.report([...path, 'giveUpAfter'], 'must be longer than reissueAfter');
  return {reissueCancelAfterSeconds: reissue, cancelTimeoutSeconds: timeout};
}

function readRuntimeRule(ctx: ParseContext, value: unknown, path: Path): RuntimeRule | undefined {
  const r = ctx.reader;
  if (!r.entries(value, path)) return undefined;
  const raw = value as Record<string, unknown>;
  const at = (key: string): Path => [...path, key];
  if (raw.kind === undefined) r.report(at('kind'), `required; one of ${RUNTIME_RULE_KINDS.join(', ')}`);
  const kind = raw.kind === undefined ? undefined : r.oneOf(raw.kind, at('kind'), RUNTIME_RULE_KINDS);
  // The name is registered even when the kind is wrong, so a later duplicate is still reported.
  const name = raw.name === undefined ? undefined : readRuleName(ctx, raw.name, at('name'));
  if (kind === undefined) return undefined;
  const keys = KIND_KEYS[kind];
  r.object(value, path, {required: ['name', 'kind', ...keys.required], optional: [...COMMON_KEYS, ...keys.optional]});
  const mode = raw.mode === undefined ? 'enforce' : r.oneOf(raw.mode, at('mode'), MODES);
  const appliesTo = raw.appliesTo === undefined ? EVERY_JOB : readSelector(ctx, raw.appliesTo, at('appliesTo'));
  const warnAt = raw.warnAt === undefined ? [0.8] : readWarnAt(ctx, raw.warnAt, at('warnAt'));
  const dryRun = raw.dryRun === undefined ? false : r.boolean(raw.dryRun, at('dryRun'));
  const body = kind === 'failed-trials' ? readFailedTrials(ctx, raw, path) : readTimed(ctx, kind, raw, path);
  if (name === undefined || mode === undefined || !appliesTo || !warnAt || dryRun === undefined || !body) return undefined;
  return {name, mode, appliesTo, warnAt, dryRun, ...body};
}

function readSelector(ctx: ParseContext, value: unknown, path: Path): RuntimeSelector | undefined {
  const r = ctx.reader;
  const raw = r.object(value, path, {optional: ['projects', 'locations', 'teams', 'labels']});
  if (!raw) return undefined;
  const projects = raw.projects === undefined ? ANY_NAME : readNameList(r, raw.projects, [...path, 'projects']);
  const locations = raw.locations === undefined ? ANY_NAME : readNameList(r, raw.locations, [...path, 'locations']);
  const teams = raw.teams === undefined ? undefined : readTeamRefs(ctx, raw.teams, [...path, 'teams']);
  const labels = new Map<string, string>();
  let labelsOk = true;
  for (const [key, wanted] of raw.labels === undefined ? [] : r.entries(raw.labels, [...path, 'labels']) ?? []) {
    const keyOk = r.string(key, [...path, 'labels', key], {pattern: LABEL_KEY, expected: 'a label key'}) !== undefined;
    const valueOk = wanted === '*' || r.string(wanted, [...path, 'labels', key], {pattern: LABEL_VALUE, expected: 'a label value or "*"'}) !== undefined;
    if (keyOk && valueOk) labels.set(key, wanted as string);
    else labelsOk = false;
  }
  if (!projects || !locations || (raw.teams !== undefined && !teams) || !labelsOk) return undefined;
  return {projects, locations, labels, ...(teams ? {teams} : {})};
}

function readWarnAt(ctx: ParseContext, value: unknown, path: Path): number[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  const read = (item: unknown, itemPath: Path) => readFraction(ctx, item, itemPath, {includeOne: false});
  const fractions = Array.isArray(value) ? ctx.reader.list(value, path, read, {nonEmpty: true, maxItems: 10}) : [read(value, path)];
  if (!fractions || fractions.length !== list.length || fractions.some(f => f === undefined)) return undefined;
  const sorted = [...new Set(fractions as number[])].sort((a, b) => a - b);
  if (sorted.length !== list.length) ctx.reader.report(path, 'lists a threshold twice');
  return sorted;
}

/** A fraction in (0, 1), or (0, 1] with `includeOne`. */
function readFraction(ctx: ParseContext, value: unknown, path: Path, {includeOne}: {includeOne: boolean}): number | undefined {
  const ok = typeof value === 'number' && value > 0 && (includeOne ? value <= 1 : value < 1);
  if (ok) return value;
  ctx.reader.report(path, `expected a fraction ${includeOne ? 'above 0 and at most 1' : 'between 0 and 1 (exclusive)'}, like 0.8; got ${JSON.stringify(value) ?? 'nothing'}`);
  return undefined;
}

function readTimed(ctx: ParseContext, kind: TimedRuntimeRule['kind'], raw: Record<string, unknown>, path: Path): TimedRuntimeRule | undefined {
  const limitSeconds = readDuration(ctx, raw.limit, [...path, 'limit']);
  const override = raw.override === undefined ? undefined : readOverride(ctx, raw.override, [...path, 'override']);
  const minFinishedTrials = readMinFinished(ctx, kind, raw.minFinishedTrials, [...path, 'minFinishedTrials']);
  if (limitSeconds === undefined || (raw.override !== undefined && !override) || minFinishedTrials === undefined) return undefined;
  return {kind, limitSeconds, minFinishedTrials, ...(override ? {override} : {})};
}

function readOverride(ctx: ParseContext, value: unknown, path: Path): LimitOverride | undefined {
  const raw = ctx.reader.object(value, path, {required: ['label', 'max'], optional: ['min']});
  if (!raw) return undefined;
  const label = ctx.reader.string(raw.label, [...path, 'label'], {pattern: LABEL_KEY, expected: 'a label key'});
  const maxSeconds = readDuration(ctx, raw.max, [...path, 'max']);
  const minSeconds = raw.min === undefined ? undefined : readDuration(ctx, raw.min, [...path, 'min']);
  if (label === undefined || maxSeconds === undefined || (raw.min !== undefined && minSeconds === undefined)) return undefined;
  if (minSeconds !== undefined && minSeconds > maxSeconds) {
    ctx.reader.report([...path, 'min'], 'must not be longer than max');
    return undefined;
  }
  return {label, maxSeconds, ...(minSeconds === undefined ? {} : {minSeconds})};
}

function readFailedTrials(ctx: ParseContext, raw: Record<string, unknown>, path: Path): FailedTrialsRule | undefined {
  const at = (key: string): Path => [...path, key];
  if (!requireOneOf(ctx, raw, path, ['maxFailedShare', 'maxFailedCount', 'ofMaxFailedTrialCount'])) return undefined;
  const share = raw.maxFailedShare === undefined ? undefined : readFraction(ctx, raw.maxFailedShare, at('maxFailedShare'), {includeOne: true});
  const count = raw.maxFailedCount === undefined ? undefined : ctx.reader.integer(raw.maxFailedCount, at('maxFailedCount'), {min: 1, max: 2_147_483_647});
  const ofMax = raw.ofMaxFailedTrialCount === undefined ? undefined : readFraction(ctx, raw.ofMaxFailedTrialCount, at('ofMaxFailedTrialCount'), {includeOne: true});
  const minFinishedTrials = readMinFinished(ctx, 'failed-trials', raw.minFinishedTrials, at('minFinishedTrials'));
  const bad = (key: string, read: unknown) => raw[key] !== undefined && read === undefined;
  if (bad('maxFailedShare', share) || bad('maxFailedCount', count) || bad('ofMaxFailedTrialCount', ofMax) || minFinishedTrials === undefined) return undefined;
  return {
    kind: 'failed-trials', minFinishedTrials,
    ...(share === undefined ? {} : {maxFailedShare: share}),
    ...(count === undefined ? {} : {maxFailedCount: count}),
    ...(ofMax === undefined ? {} : {ofMaxFailedTrialCount: ofMax}),
  };
}

function readMinFinished(ctx: ParseContext, kind: RuntimeRuleKind, value: unknown, path: Path): number | undefined {
  return value === undefined ? DEFAULT_MIN_FINISHED[kind] : ctx.reader.integer(value, path, {min: 1, max: 1_000_000});
}

/** FNV-1a of the section as written: cheap, stable across processes, and pure. */
function fingerprintOf(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
