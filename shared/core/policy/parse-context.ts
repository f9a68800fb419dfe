import {ANY_NAME, compileNameMatcher, isNameEntry, type NameMatcher} from './name-matcher.js';
import type {Members, RuleBase, Scope} from './policy.js';
import {clip, formatPath, type Path, type Reader} from './schema-reader.js';
import type {RuleMode} from './verdict.js';

// What the section parsers share: the reader, the groups and teams defined so far, and the rule
// names seen (unique across the whole file, because verdicts and audit records refer to them).

/** Rule names: lowercase, digits and dashes, as they appear in verdicts. */
export const RULE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** Team names become the `team` label's value, so they follow label rules. */
export const TEAM_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
/** Label keys as Vertex accepts them (the 63-character GCP-wide limit). */
export const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
/** Label values as Vertex accepts them. */
export const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** The name of the built-in access check in verdicts; no rule in a file may take it. */
export const ACCESS_RULE = 'access';

const MODES: readonly RuleMode[] = ['enforce', 'warn', 'audit'];

/** Shared state of one parsePolicy call. */
export interface ParseContext {
  readonly reader: Reader;
  readonly groups: Map<string, Members>;
  readonly teamNames: Set<string>;
  /** Rule name → where it was first defined. */
  readonly ruleNames: Map<string, Path>;
}

/** Reads and registers a rule name, reporting duplicates and the reserved `access`. */
export function readRuleName(ctx: ParseContext, value: unknown, path: Path): string | undefined {
  const name = ctx.reader.string(value, path, {pattern: RULE_NAME, expected: 'a rule name (lowercase letters, digits, "-")'});
  if (name === undefined) return undefined;
  const first = ctx.ruleNames.get(name);
  if (name === ACCESS_RULE) ctx.reader.report(path, `"${ACCESS_RULE}" is reserved for the built-in access check`);
  else if (first) ctx.reader.report(path, `duplicate rule name "${name}" (first defined at ${formatPath(first)})`);
  else ctx.ruleNames.set(name, path);
  return name;
}

/** Reads `name`, `mode` (default enforce) and `appliesTo` of a rule mapping already checked for keys. */
export function readRuleBase(ctx: ParseContext, raw: Record<string, unknown>, path: Path): RuleBase | undefined {
  const name = readRuleName(ctx, raw.name, [...path, 'name']);
  const mode = raw.mode === undefined ? 'enforce' : ctx.reader.oneOf(raw.mode, [...path, 'mode'], MODES);
  const scope = raw.appliesTo === undefined ? EVERYWHERE : readScope(ctx, raw.appliesTo, [...path, 'appliesTo']);
  if (name === undefined || mode === undefined || scope === undefined) return undefined;
  return {name, mode, scope};
}

const EVERYWHERE: Scope = {projects: ANY_NAME, locations: ANY_NAME};

function readScope(ctx: ParseContext, value: unknown, path: Path): Scope | undefined {
  const raw = ctx.reader.object(value, path, {optional: ['projects', 'locations', 'teams']});
  if (!raw) return undefined;
  const projects = raw.projects === undefined ? ANY_NAME : readNameList(ctx.reader, raw.projects, [...path, 'projects']);
  const locations = raw.locations === undefined ? ANY_NAME : readNameList(ctx.reader, raw.locations, [...path, 'locations']);
  const teams = raw.teams === undefined ? undefined : readTeamRefs(ctx, raw.teams, [...path, 'teams']);
  if (!projects || !locations || (raw.teams !== undefined && !teams)) return undefined;
  return {projects, locations, ...(teams ? {teams} : {})};
}

/** Reads a list of exact names, `prefix*` entries or `*`. */
export function readNameList(reader: Reader, value: unknown, path: Path): NameMatcher | undefined {
  const entries = reader.list(
    value,
    path,
    (item, itemPath) => {
      const entry = reader.string(item, itemPath, {maxLength: 129});
      if (entry === undefined) return undefined;
      if (isNameEntry(entry)) return entry;
      reader.report(itemPath, `"${clip(entry)}" is not a name, "prefix*" or "*"`);
      return undefined;
    },
    {nonEmpty: true},
  );
  return entries && entries.length > 0 ? compileNameMatcher(entries) : undefined;
}

/** Reads a list of team names defined in `teams`. */
export function readTeamRefs(ctx: ParseContext, value: unknown, path: Path): ReadonlySet<string> | undefined {
  const names = ctx.reader.list(value, path, (item, itemPath) => readDefined(ctx, item, itemPath, 'team'), {nonEmpty: true});
  return names ? new Set(names) : undefined;
}

/** Reads a reference to a defined group or team, reporting undefined ones (a typo would disable a rule). */
export function readDefined(ctx: ParseContext, value: unknown, path: Path, what: 'team' | 'group'): string | undefined {
  const name = ctx.reader.string(value, path);
  if (name === undefined) return undefined;
  const known = what === 'team' ? ctx.teamNames.has(name) : ctx.groups.has(name);
  if (!known) ctx.reader.report(path, `no ${what} named "${name}" is defined in ${what}s`);
  return known ? name : undefined;
}

/** The keys of one rule kind besides the common ones. */
export interface KindKeys {
  readonly required?: readonly string[];
  readonly optional?: readonly string[];
}

/** A rule mapping whose kind and keys have been checked; `base` is undefined when name/mode/scope had problems. */
export interface KindedRule<K extends string> {
  readonly kind: K;
  readonly raw: Record<string, unknown>;
  readonly base: RuleBase | undefined;
}

/** Reads a rule with a `kind`: checks the keys allowed for that kind, then the common ones. */
export function readKindedRule<K extends string>(
  ctx: ParseContext,
  value: unknown,
  path: Path,
  kinds: Readonly<Record<K, KindKeys>>,
): KindedRule<K> | undefined {
  const probe = ctx.reader.entries(value, path);
  if (!probe) return undefined;
  const raw = value as Record<string, unknown>;
  const names = Object.keys(kinds) as K[];
  const kind = raw.kind === undefined ? undefined : ctx.reader.oneOf(raw.kind, [...path, 'kind'], names);
  if (raw.kind === undefined) ctx.reader.report([...path, 'kind'], `required; one of ${names.join(', ')}`);
  if (kind === undefined) {
    // Still register the name, so a later duplicate is reported against this one.
    if (raw.name !== undefined) readRuleName(ctx, raw.name, [...path, 'name']);
    return undefined;
  }
  const keys = kinds[kind];
  ctx.reader.object(value, path, {
    required: ['name', 'kind', ...(keys.required ?? [])],
    optional: ['mode', 'appliesTo', ...(keys.optional ?? [])],
  });
  return {kind, raw, base: readRuleBase(ctx, raw, path)};
}

/** Reports a rule that sets none of the keys it needs at least one of. */
export function requireOneOf(ctx: ParseContext, raw: Record<string, unknown>, path: Path, keys: readonly string[]): boolean {
  if (keys.some(key => raw[key] !== undefined)) return true;
  ctx.reader.report(path, `give at least one of: ${keys.join(', ')}`);
  return false;
}
