import type {FieldViolation} from '../vertex/error-details.js';
import {isJsonObject} from '../vertex/json-fields.js';
import {snakeCaseOf} from '../vertex/json-message.js';
import {decodeEnum, isUnknownEnum, type ProtoEnum} from '../vertex/proto-enum.js';
import {parseDurationSeconds} from '../vertex/time.js';

// A strict proto3-JSON checker for request bodies. Unlike the tolerant decoders of shared/core/vertex
// (which must accept whatever a newer Vertex sends), the gate refuses unknown members (typos), output-only
// members and wrong types, and reports every problem in one pass, each at its JSON path.

/** How one member is checked. `required` means present and not the proto3 default (`""`, `0`, null). */
export type FieldRule = FieldType & {readonly required?: boolean};

/** The JSON shape and range of one member. */
export type FieldType =
  | {readonly t: 'string'; readonly minLength?: number; readonly maxLength?: number; readonly pattern?: RegExp; readonly hint?: string}
  | {readonly t: 'bool'}
  | {readonly t: 'int32' | 'int64'; readonly min?: number; readonly max?: number}
  | {readonly t: 'enum'; readonly def: ProtoEnum<string>; readonly forbidden?: readonly string[]}
  | {readonly t: 'duration'; readonly minSeconds?: number}
  | {readonly t: 'map'}
  | {readonly t: 'message'; readonly of: MessageRules}
  | {readonly t: 'list'; readonly of: FieldType; readonly maxItems?: number}
  | {readonly t: 'output'};

/** The members of one message, by lowerCamelCase name; the snake_case spelling is accepted too. */
export type MessageRules = Readonly<Record<string, FieldRule>>;

const INT32 = {min: -(2 ** 31), max: 2 ** 31 - 1};
const INT64 = {min: -(2n ** 63n), max: 2n ** 63n - 1n};

/** Checks `value` against a message's rules, appending every violation to `out`. */
export function checkMessage(value: unknown, rules: MessageRules, path: string, out: FieldViolation[]): void {
  if (!isJsonObject(value)) return void out.push({field: path, description: `expected an object, got ${describeValue(value)}`});
  const seen = new Map<string, string>();
  for (const [key, member] of Object.entries(value)) {
    const name = ruleNameOf(key, rules);
    const field = memberPath(path, key);
    if (name === undefined) {
      out.push({field, description: unknownField(key, rules)});
      continue;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) out.push({field, description: `"${name}" is given twice, as "${earlier}" and "${key}"`});
    seen.set(name, key);
    const rule = rules[name]!;
    if (rule.t === 'output') {
      out.push({field, description: `"${name}" is output only: Vertex sets it, so it must not be sent on create`});
    } else if (rule.required && isDefault(member, rule)) {
      out.push({field, description: 'required field is not set'});
    } else if (member !== null) {
      checkValue(member, rule, field, out); // null is proto3 JSON for "not set"
    }
  }
  for (const [name, rule] of Object.entries(rules)) {
    if (rule.required && !seen.has(name)) out.push({field: memberPath(path, name), description: 'required field is missing'});
  }
}

/** The path of member `key` under `path`, spelled as sent: `a.b`, `a["odd key"]`, `a[0]`. */
export function memberPath(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function checkValue(value: unknown, type: FieldType, path: string, out: FieldViolation[]): void {
  const problem = problemOf(value, type, path, out);
  if (problem !== undefined) out.push({field: path, description: problem});
}

// Returns the one problem of a scalar, or recurses into a container (which reports by itself).
function problemOf(value: unknown, type: FieldType, path: string, out: FieldViolation[]): string | undefined {
  switch (type.t) {
    case 'string':
      return typeof value === 'string' ? stringProblem(value, type) : expected('a string', value);
    case 'bool':
      return typeof value === 'boolean' ? undefined : expected('a boolean (true or false)', value);
    case 'int32':
    case 'int64':
      return integerProblem(value, type);
    case 'enum':
      return enumProblem(value, type.def, type.forbidden ?? []);
    case 'duration': {
      const seconds = typeof value === 'string' ? parseDurationSeconds(value) : undefined;
      if (seconds === undefined) return expected('a duration such as "3600s"', value);
      return seconds < (type.minSeconds ?? -Infinity) ? `must be at least ${type.minSeconds}s, got ${value as string}` : undefined;
    }
    case 'map':
      if (!isJsonObject(value)) return expected('an object of strings', value);
      for (const [key, item] of Object.entries(value)) {
        if (typeof item !== 'string') out.push({field: memberPath(path, key), description: expected('a string', item)});
      }
      return undefined;
    case 'message':
      return void checkMessage(value, type.of, path, out);
    case 'list':
      if (!Array.isArray(value)) return expected('an array', value);
      if (type.maxItems !== undefined && value.length > type.maxItems) return `at most ${type.maxItems} items are allowed, got ${value.length}`;
      value.forEach((item, index) => {
        if (item === null) out.push({field: `${path}[${index}]`, description: 'null is not allowed in a list'});
        else checkValue(item, type.of, `${path}[${index}]`, out);
      });
      return undefined;
    case 'output':
      return undefined;
  }
}

function stringProblem(value: string, type: Extract<FieldType, {t: 'string'}>): string | undefined {
  const length = [...value].length;
  if (type.minLength !== undefined && length < type.minLength) return `must be at least ${type.minLength} characters long`;
  if (type.maxLength !== undefined && length > type.maxLength) return `must be at most ${type.maxLength} characters long, got ${length}`;
  if (type.pattern !== undefined && value !== '' && !type.pattern.test(value)) return `${type.hint ?? 'has an invalid format'}, got ${describeValue(value)}`;
  return undefined;
}

// proto3 JSON accepts an integer as a number or a decimal string.
function integerProblem(value: unknown, type: Extract<FieldType, {t: 'int32' | 'int64'}>): string | undefined {
  const bounds = type.t === 'int32' ? INT32 : INT64;
  let n: bigint | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) n = BigInt(value);
  if (n === undefined || n < BigInt(bounds.min) || n > BigInt(bounds.max)) return expected(`an ${type.t} integer`, value);
  if (type.min !== undefined && n < BigInt(type.min)) return `must be at least ${type.min}, got ${n}`;
  if (type.max !== undefined && n > BigInt(type.max)) return `must be at most ${type.max}, got ${n}`;
  return undefined;
}

function enumProblem(value: unknown, def: ProtoEnum<string>, forbidden: readonly string[]): string | undefined {
  const decoded = decodeEnum(def, value);
  const allowed = def.names.filter(name => !forbidden.includes(name));
  if (decoded === undefined || isUnknownEnum(decoded) || forbidden.includes(decoded)) {
    return `expected one of ${allowed.join(', ')}, got ${describeValue(value)}`;
  }
  return undefined;
}

function ruleNameOf(key: string, rules: MessageRules): string | undefined {
  if (Object.hasOwn(rules, key)) return key;
  return Object.keys(rules).find(name => name !== key && snakeCaseOf(name) === key);
}

function unknownField(key: string, rules: MessageRules): string {
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  const suggestion = key.length <= 64 ? closest(key, Object.keys(rules)) : undefined;
  return `unknown field "${shown}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function closest(key: string, names: readonly string[]): string | undefined {
  const wanted = key.toLowerCase().replace(/_/g, '');
  let best: {name: string; distance: number} | undefined;
  for (const name of names) {
    const distance = editDistance(wanted, name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 4)) && (!best || distance < best.distance)) best = {name, distance};
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// The proto3 default of a member counts as "not set", which is what REQUIRED forbids.
function isDefault(value: unknown, rule: FieldRule): boolean {
  if (value === null) return true;
  if (rule.t === 'int32' || rule.t === 'int64') return value === 0 || value === '0';
  if (rule.t === 'list') return Array.isArray(value) && value.length === 0;
  return value === '';
}

function expected(what: string, value: unknown): string {
  return `expected ${what}, got ${describeValue(value)}`;
}

/** A short, safe rendering of a JSON value for a message (long strings are cut). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
