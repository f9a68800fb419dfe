// Regexes in a policy file are matched against values a caller controls (display names, labels,
// key names). JavaScript's engine backtracks, so a careless pattern such as `(a+)+$` can take
// exponential time. Patterns are therefore limited to a subset without exponential backtracking:
//   - at most MAX_PATTERN_LENGTH characters, compiled with the `u` flag (strict syntax);
//   - always anchored: the value must match as a whole (`^(?:…)$` is added);
//   - no repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) on a group that contains a
//     quantifier or an alternation (star height 1, the shape of every classic ReDoS); `(…)?` is fine;
//   - no backreferences and no lookaround;
//   - values longer than Vertex's limit for the field (128 for display names, 64 for label values,
//     512 for key names) never match, which bounds polynomial cases like `.*-.*-.*`.

/** The longest pattern accepted in a policy file. */
export const MAX_PATTERN_LENGTH = 256;
/** The longest value a pattern is run against; longer values fail the rule without matching. */
export const MAX_MATCH_INPUT = 1024;

/** A pattern checked and compiled at load. */
export interface SafePattern {
  /** As written in the policy file. */
  readonly source: string;
  readonly regex: RegExp;
}

/** Checks and compiles a policy pattern; returns the reason when it is refused. */
export function compileSafePattern(source: string): SafePattern | {readonly error: string} {
  if (source.length === 0) return {error: 'empty pattern'};
  if (source.length > MAX_PATTERN_LENGTH) return {error: `pattern longer than ${MAX_PATTERN_LENGTH} characters`};
  const unsafe = findUnsafeConstruct(source);
  if (unsafe) return {error: unsafe};
  try {
    new RegExp(source, 'u'); // alone first, so a syntax error quotes the pattern as written
    return {source, regex: new RegExp(`^(?:${source})$`, 'u')};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

/**
 * True when `value` matches the whole pattern. A value longer than `maxInput` is not tried: callers
 * pass Vertex's own limit for the field (a longer value is invalid anyway), which keeps polynomial
 * backtracking (`.*-.*-.*`) small.
 */
export function matchesPattern(pattern: SafePattern, value: string, maxInput: number = MAX_MATCH_INPUT): boolean {
  return value.length <= Math.min(maxInput, MAX_MATCH_INPUT) && pattern.regex.test(value);
}

/** Vertex's limits on the fields patterns are matched against (vertex-nasjobs-api.md §7). */
export const FIELD_LIMITS = {displayName: 128, labelValue: 64, kmsKeyName: 512} as const;

interface GroupFrame {
  quantified: boolean;
  alternation: boolean;
}

/** Scans the pattern's structure; returns why it is refused, or undefined when it is in the safe subset. */
function findUnsafeConstruct(source: string): string | undefined {
  const stack: GroupFrame[] = [{quantified: false, alternation: false}];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'backreferences are not allowed';
      i += 2;
      // \p{…}, \u{…}: skip the braces so they are not read as a quantifier.
      if (/[pPu]/.test(next) && source[i] === '{') i = skipPast(source, i, '}');
      continue;
    }
    if (c === '[') {
      i = skipClass(source, i + 1);
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4))) return 'lookahead and lookbehind are not allowed';
      stack.push({quantified: false, alternation: false});
      // Skip `(?:` and `(?<name>` so their `?` is not read as a quantifier.
      if (source[i + 1] === '?') i = source[i + 2] === '<' ? skipPast(source, i, '>') : i + 3;
      else i += 1;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return undefined; // unbalanced: let RegExp report the syntax error
      const group = stack.pop()!;
      const quantifierEnd = quantifierAt(source, i + 1);
      const parent = stack[stack.length - 1]!;
      if (quantifierEnd > i + 1) {
        if ((group.quantified || group.alternation) && repeats(source.slice(i + 1, quantifierEnd))) {
          return 'a quantifier on a group that contains a quantifier or "|" can backtrack catastrophically; rewrite it (e.g. use a character class)';
        }
        parent.quantified = true;
        i = quantifierEnd;
      } else {
        parent.quantified ||= group.quantified;
        parent.alternation ||= group.alternation;
        i += 1;
      }
      continue;
    }
    if (c === '|') top.alternation = true;
    const quantifierEnd = quantifierAt(source, i);
    if (quantifierEnd > i) {
      top.quantified = true;
      i = quantifierEnd;
      continue;
    }
    i += 1;
  }
  return undefined;
}

/** If a quantifier (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, optionally lazy) starts at `i`, returns its end. */
function quantifierAt(source: string, i: number): number {
  const c = source[i];
  let end = i;
  if (c === '*' || c === '+' || c === '?') end = i + 1;
  else if (c === '{') {
    const m = /^\{\d+(,\d*)?\}/.exec(source.slice(i, i + 24));
    if (m) end = i + m[0].length;
  }
  if (end > i && source[end] === '?') end += 1;
  return end;
}

// `?` and `{0,1}` use a group at most once, so they cannot multiply its backtracking; `{5}` can.
function repeats(quantifier: string): boolean {
  const bounds = /^\{(\d+)(?:(,)(\d*))?\}/.exec(quantifier);
  if (!bounds) return !quantifier.startsWith('?');
  const max = bounds[2] === undefined ? Number(bounds[1]) : bounds[3] === '' ? Infinity : Number(bounds[3]);
  return max > 1;
}

function skipClass(source: string, i: number): number {
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipPast(source: string, i: number, close: string): number {
  const end = source.indexOf(close, i);
  return end < 0 ? source.length : end + 1;
}
