import {MalformedMessageError} from '../messages/pubsub-envelope.js';

// A strict reader over one JSON object of an event: every missing or mistyped field throws a
// MalformedMessageError naming its path (`data.trial.id`), so the edge can log it and acknowledge.

/** Long texts (error messages) are cut here: a message is read by people, and stored per delivery. */
export const MAX_TEXT = 2000;

/** The typed fields of one JSON object found at `path`. */
export interface EventFields {
  readonly raw: Readonly<Record<string, unknown>>;
  string(key: string): string;
  optionalString(key: string): string | undefined;
  nullableString(key: string): string | null;
  number(key: string): number;
  optionalNumber(key: string): number | undefined;
  nullableNumber(key: string): number | null;
  optionalBoolean(key: string): boolean | undefined;
  object(key: string): EventFields;
  optionalObject(key: string): EventFields | undefined;
  stringMap(key: string): Record<string, string>;
}

/** Reads `value` as an object at `path` (e.g. `data`). */
export function eventFields(value: unknown, path: string): EventFields {
  if (!isObject(value)) throw new MalformedMessageError(path, 'must be a JSON object');
  const at = (key: string) => `${path}.${key}`;
  const present = (key: string) => value[key] !== undefined && value[key] !== null;
  const self: EventFields = {
    raw: value,
    string(key) {
      const v = value[key];
      if (typeof v !== 'string' || v === '') throw new MalformedMessageError(at(key), 'must be a non-empty string');
      return clip(v);
    },
    optionalString: key => (present(key) ? self.string(key) : undefined),
    nullableString: key => (present(key) ? self.string(key) : null),
    number(key) {
      const v = value[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new MalformedMessageError(at(key), 'must be a number');
      return v;
    },
    optionalNumber: key => (present(key) ? self.number(key) : undefined),
    nullableNumber: key => (present(key) ? self.number(key) : null),
    optionalBoolean(key) {
      if (!present(key)) return undefined;
      if (typeof value[key] !== 'boolean') throw new MalformedMessageError(at(key), 'must be true or false');
      return value[key] as boolean;
    },
    object: key => eventFields(value[key], at(key)),
    optionalObject: key => (present(key) ? eventFields(value[key], at(key)) : undefined),
    stringMap(key) {
      const v = value[key] ?? {};
      if (!isObject(v) || Object.values(v).some(item => typeof item !== 'string')) {
        throw new MalformedMessageError(at(key), 'must map names to strings');
      }
      return {...(v as Record<string, string>)};
    },
  };
  return self;
}

/** Cuts a text to {@link MAX_TEXT} characters, marking the cut. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
