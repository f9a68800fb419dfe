// Type checks for what the store reads back. Documents can be edited by hand or written by an older
// version; a wrong type must surface as an error naming the document and field, never as a
// TypeError deep in the poller or, worse, as a silently different record.
import {NasmonError} from '../../errors.js';

/** A stored document whose field does not have the shape the store wrote. */
export class StoredDataError extends NasmonError {
  override readonly name = 'StoredDataError';

  constructor(
    /** The document path, e.g. `nasJobs/projects~1~locations~us-central1~nasJobs~2`. */
    readonly doc: string,
    /** The field path within it, e.g. `stages.search.counts.total`. */
    readonly field: string,
    reason: string,
  ) {
    super('payload-invalid', `${doc}: field ${field}: ${reason}`);
  }
}

type Obj = Record<string, unknown>;

/** Field checks that throw {@link StoredDataError} for document `doc`. */
export function storedChecks(doc: string) {
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new StoredDataError(doc, field, `expected ${expected}, got ${describe(value)}`);
  };
  const checks = {
    fail,
    object: (value: unknown, field: string): Obj =>
      isObject(value) ? value : fail(field, 'a map', value),
    string: (value: unknown, field: string): string =>
      typeof value === 'string' ? value : fail(field, 'a string', value),
    boolean: (value: unknown, field: string): boolean =>
      typeof value === 'boolean' ? value : fail(field, 'a boolean', value),
    integer: (value: unknown, field: string, min = 0): number =>
      Number.isSafeInteger(value) && (value as number) >= min ? (value as number) : fail(field, `an integer ≥ ${min}`, value),
    /** A string holding JSON, parsed. */
    json: (value: unknown, field: string): unknown => {
      const text = checks.string(value, field);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return fail(field, 'a JSON string', text);
      }
    },
    number: (value: unknown, field: string): number =>
      typeof value === 'number' ? value : fail(field, 'a number', value),
    /** Absent or null reads as undefined; anything else must pass `check`. */
    optional: <T>(value: unknown, field: string, check: (v: unknown, f: string) => T): T | undefined =>
      value === undefined || value === null ? undefined : check(value, field),
    stringMap: (value: unknown, field: string): Record<string, string> => {
      const map = checks.object(value, field);
      for (const [key, entry] of Object.entries(map)) checks.string(entry, `${field}.${key}`);
      return map as Record<string, string>;
    },
  };
  return checks;
}

/** The checks of one document. */
export type StoredChecks = ReturnType<typeof storedChecks>;

/** True for a plain map as Firestore returns it (not an array, Timestamp or other class). */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
