// Lists of names in a policy (projects, locations, machine types) are exact names, `prefix*`, or
// `*` for any. No regexes here: these are matched on every request and never need more.

/** A compiled list of names: exact names, `prefix*` entries, or anything. */
export interface NameMatcher {
  readonly any: boolean;
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
  /** The entries as written, for messages. */
  readonly written: readonly string[];
}

/** A matcher that matches every name (an omitted list). */
export const ANY_NAME: NameMatcher = {any: true, exact: new Set(), prefixes: [], written: ['*']};

const NAME_ENTRY = /^(?:\*|[A-Za-z0-9][A-Za-z0-9._-]{0,127}\*?)$/;

/** True when `entry` is an exact name, `prefix*` or `*`. */
export function isNameEntry(entry: string): boolean {
  return NAME_ENTRY.test(entry);
}

/** Compiles validated entries. */
export function compileNameMatcher(entries: readonly string[]): NameMatcher {
  if (entries.includes('*')) return {...ANY_NAME, written: entries};
  const exact = new Set(entries.filter(entry => !entry.endsWith('*')));
  const prefixes = entries.filter(entry => entry.endsWith('*')).map(entry => entry.slice(0, -1));
  return {any: false, exact, prefixes, written: entries};
}

/** True when `name` is in the list. */
export function matchesName(matcher: NameMatcher, name: string): boolean {
  return matcher.any || matcher.exact.has(name) || matcher.prefixes.some(prefix => name.startsWith(prefix));
}

const POLICY_DURATION = /^(\d{1,9}(?:\.\d{1,9})?)(s|m|h|d)$/;
const UNIT_SECONDS = {s: 1, m: 60, h: 3600, d: 86_400} as const;

/** Parses a policy duration (`90m`, `36h`, `7d`, or proto3's `"604800s"`) to seconds; undefined if malformed. */
export function parsePolicyDuration(text: string): number | undefined {
  const m = POLICY_DURATION.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}
