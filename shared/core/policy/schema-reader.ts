// A small validating reader over untyped JSON: every check records a problem at its JSON path and
// carries on, so one pass over the file reports every mistake at once.

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;
/** A JSON path as segments. */
export type Path = readonly PathSegment[];

/** A problem found by the reader, before the file name and line are attached. */
export interface RawProblem {
  readonly path: Path;
  readonly reason: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Formats a path as `a.b[2]["odd key"]`; the empty path is `$`. */
export function formatPath(path: Path): string {
  if (path.length === 0) return '$';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Describes a JSON value's type for messages ("a list", "a number"…). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** Options of {@link Reader.string}. */
export interface StringOptions {
  readonly pattern?: RegExp;
  /** Says what `pattern` means, e.g. "a lowercase name like `gpu-limits`". */
  readonly expected?: string;
  readonly maxLength?: number;
}

/**
 * Collects problems while reading untyped values; each method returns `undefined` on a problem.
 * `undefined` is an absent key: `object` reports it when the key is required, so the typed readers
 * return `undefined` for it silently instead of reporting it twice.
 */
export class Reader {
  readonly problems: RawProblem[] = [];

  /** Records a problem at `path`. */
  report(path: Path, reason: string): void {
    this.problems.push({path, reason});
  }

  /** A mapping whose keys are all in `required` or `optional`; unknown and missing keys are reported. */
  object(
    value: unknown,
    path: Path,
    keys: {readonly required?: readonly string[]; readonly optional?: readonly string[]},
  ): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, `expected a mapping, got ${describeType(value)}`);
      return undefined;
    }
    const record = value as Record<string, unknown>;
    const required = keys.required ?? [];
    const known = new Set([...required, ...(keys.optional ?? [])]);
    for (const key of Object.keys(record)) {
      if (!known.has(key)) this.report([...path, key], `unknown key; expected one of: ${[...known].join(', ')}`);
    }
    for (const key of required) {
      if (!Object.hasOwn(record, key) || record[key] === undefined) this.report([...path, key], 'required');
    }
    return record;
  }

  /** A mapping with free keys (names), read in file order. */
  entries(value: unknown, path: Path): [string, unknown][] | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, `expected a mapping, got ${describeType(value)}`);
      return undefined;
    }
    return Object.entries(value);
  }

  /** A string, optionally checked against a pattern and a length cap. */
  string(value: unknown, path: Path, options: StringOptions = {}): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      const hint = typeof value === 'boolean' || typeof value === 'number' ? ` (quote it: "${String(value)}")` : '';
      this.report(path, `expected a string, got ${describeType(value)}${hint}`);
      return undefined;
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      this.report(path, `longer than ${options.maxLength} characters`);
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.report(path, `"${clip(value)}" is not ${options.expected ?? `of the form ${options.pattern.source}`}`);
      return undefined;
    }
    return value;
  }

  /** One of a closed set of strings. */
  oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.report(path, `expected one of ${allowed.join(', ')}, got ${typeof value === 'string' ? `"${clip(value)}"` : describeType(value)}`);
    return undefined;
  }

  /** An integer within bounds. */
  integer(value: unknown, path: Path, bounds: {readonly min: number; readonly max: number}): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.report(path, `expected an integer, got ${typeof value === 'number' ? String(value) : describeType(value)}`);
      return undefined;
    }
    if (value < bounds.min || value > bounds.max) {
      this.report(path, `must be between ${bounds.min} and ${bounds.max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  /** A boolean (YAML 1.2: only `true`/`false`, never `yes`/`on`). */
  boolean(value: unknown, path: Path): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    this.report(path, `expected true or false, got ${describeType(value)}`);
    return undefined;
  }

  /** A list whose items are read by `item`; items with problems are dropped (and reported by `item`). */
  list<T>(
    value: unknown,
    path: Path,
    item: (value: unknown, path: Path) => T | undefined,
    options: {readonly nonEmpty?: boolean; readonly maxItems?: number} = {},
  ): T[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.report(path, `expected a list, got ${describeType(value)}`);
      return undefined;
    }
    if (options.nonEmpty && value.length === 0) this.report(path, 'must not be empty');
    const max = options.maxItems ?? 10_000;
    if (value.length > max) {
      this.report(path, `more than ${max} items`);
      return undefined;
    }
    const out: T[] = [];
    value.forEach((element, index) => {
      const read = item(element, [...path, index]);
      if (read !== undefined) out.push(read);
    });
    return out;
  }
}

/** Shortens a value quoted in a message. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
