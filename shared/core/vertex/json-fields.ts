import type {JsonObject} from './custom-job-spec.js';
import {PayloadInvalidError} from './payload-error.js';
import {decodeEnum, type EnumValue, type ProtoEnum} from './proto-enum.js';
import {isDuration, isTimestamp} from './time.js';

// Decoders for proto3 JSON values. Each takes (value, JSON path) and returns the typed value or throws a
// PayloadInvalidError naming the path; none of them can fail with a TypeError on any JSON input.

/** Decodes one JSON value found at `path`. */
export type Decoder<T> = (value: unknown, path: string) => T;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The JSON path of member `key` under `path`. */
export function memberPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const IDENTIFIER = /^[A-Za-z_@$][\w@$]*$/;

/** A string. */
export const decodeString: Decoder<string> = (value, path) =>
  typeof value === 'string' ? value : fail(path, 'expected a string', value);

/** A boolean. */
export const decodeBool: Decoder<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : fail(path, 'expected a boolean', value);

/** An int32: a JSON number or a decimal string (both are valid proto3 JSON). */
export const decodeInt32: Decoder<number> = (value, path) => {
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX) return n;
  return fail(path, 'expected an int32', value);
};

/** An int64, kept as a canonical decimal string; a JSON number is accepted if it is a safe integer. */
export const decodeInt64: Decoder<string> = (value, path) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) {
    const n = BigInt(value);
    if (n >= INT64_MIN && n <= INT64_MAX) return n.toString();
  }
  return fail(path, 'expected an int64 decimal string', value);
};

/** A double: a JSON number, or one of the strings proto3 JSON uses (`"NaN"`, `"Infinity"`, `"1.5"`). */
export const decodeDouble: Decoder<number> = (value, path) => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^(NaN|-?Infinity|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(value)) {
    return Number(value);
  }
  return fail(path, 'expected a number', value);
};

/** An RFC 3339 Timestamp string, kept as sent. */
export const decodeTimestamp: Decoder<string> = (value, path) =>
  typeof value === 'string' && isTimestamp(value) ? value : fail(path, 'expected an RFC 3339 timestamp', value);

/** A Duration string (`"3.5s"`), kept as sent. */
export const decodeDuration: Decoder<string> = (value, path) =>
  typeof value === 'string' && isDuration(value) ? value : fail(path, 'expected a duration like "3.5s"', value);

/** An enum name or number; unknown ones are kept as UnknownEnum. */
export function enumDecoder<N extends string>(def: ProtoEnum<N>): Decoder<EnumValue<N>> {
  return (value, path) => decodeEnum(def, value) ?? fail(path, `expected a name or number of enum ${def.typeName}`, value);
}

/** A JSON object kept as received. */
export const decodeObject: Decoder<JsonObject> = (value, path) =>
  isJsonObject(value) ? value : fail(path, 'expected an object', value);

/** A map<string, string> (e.g. labels). */
export const decodeStringMap: Decoder<Readonly<Record<string, string>>> = (value, path) => {
  const entries = Object.entries(decodeObject(value, path));
  return Object.fromEntries(entries.map(([key, v]) => [key, decodeString(v, memberPath(path, key))]));
};

/** A JSON array whose items are decoded one by one (the first bad item throws). */
export function listDecoder<T>(decodeItem: Decoder<T>): Decoder<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return fail(path, 'expected an array', value);
    return value.map((item, index) => decodeItem(item, `${path}[${index}]`));
  };
}

/** True for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws the PayloadInvalidError for `path`, describing what arrived instead. */
export function fail(path: string, expected: string, value: unknown): never {
  throw new PayloadInvalidError(path, `${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}
