// Reads a request body the way Google's JSON transcoder does: members in camelCase or snake_case,
// enums by name or number, 64-bit integers as strings or numbers, unknown members rejected, output-only
// members dropped. The result is canonical proto3 JSON (camelCase, enum names, int64 as strings, no
// default scalars, proto field order), so stored jobs print exactly like Vertex's.
import {ENUMS, isEnumDefault, resolveEnumValue, type EnumName} from './enums.js';
import {SCHEMA, type FieldSpec, type MessageName} from './schema.js';

export type JsonObject = Record<string, unknown>;
export interface Violation {
  field: string;
  description: string;
}
export interface NormalizedMessage {
  value: JsonObject;
  /** Proto paths of the members the caller sent (non-null), so "required" can be told from "zero". */
  present: ReadonlySet<string>;
  violations: Violation[];
}

const INT32_MAX = 2 ** 31 - 1;
const DURATION = /^-?\d+(\.\d{1,9})?s$/;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Normalises `input` as message `messageName`; `path` is the proto path used in error messages. */
export function normalizeMessage(input: unknown, messageName: MessageName, path: string): NormalizedMessage {
  const reader = new Reader();
  const value = reader.message(input, messageName, path) ?? {};
  return {value, present: reader.present, violations: reader.violations};
}

class Reader {
  readonly present = new Set<string>();
  readonly violations: Violation[] = [];

  message(input: unknown, messageName: MessageName, path: string): JsonObject | undefined {
    if (!isPlainObject(input)) return this.invalid(path, `type.googleapis.com/google.cloud.aiplatform.v1.${messageName}`, input);
    const spec = SCHEMA[messageName];
    const values = new Map<FieldSpec, unknown>();
    for (const [key, raw] of Object.entries(input)) {
      const field = spec.byName.get(key);
      if (!field) {
        this.fail(path, `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`);
        continue;
      }
      if (values.has(field)) {
        this.fail(path, `Invalid JSON payload received. Field "${field.snake}" at '${path}' was set more than once.`);
        continue;
      }
      values.set(field, undefined);
      if (raw === null || field.outputOnly) continue;
      const fieldPath = `${path}.${field.snake}`;
      this.present.add(fieldPath);
      values.set(field, field.repeated ? this.list(raw, field, fieldPath) : this.single(raw, field, fieldPath));
    }
    const out: JsonObject = {};
    for (const field of spec.fields) {
      const value = values.get(field);
      if (value !== undefined) out[field.camel] = value;
    }
    return out;
  }

  private list(raw: unknown, field: FieldSpec, path: string): unknown[] | undefined {
    if (!Array.isArray(raw)) {
      this.fail(path, `Invalid JSON payload received. Expected an array at '${path}'.`);
      return undefined;
    }
    const out = raw.map((item, i) => this.single(item, field, `${path}[${i}]`, true));
    return out.length > 0 ? out : undefined;
  }

  /** `keepDefault`: list elements keep zero values, only singular fields drop them. */
  private single(raw: unknown, field: FieldSpec, path: string, keepDefault = false): unknown {
    switch (field.kind) {
      case 'message':
        return this.message(raw, field.messageName, path);
      case 'enum':
        return this.enumValue(raw, field.enumName, path, keepDefault);
      case 'map':
        return this.stringMap(raw, path);
      case 'string':
        if (typeof raw !== 'string') return this.invalid(path, 'TYPE_STRING', raw);
        return raw === '' && !keepDefault ? undefined : raw;
      case 'bool':
        if (typeof raw !== 'boolean') return this.invalid(path, 'TYPE_BOOL', raw);
        return raw || keepDefault ? raw : undefined;
      case 'int32':
        return this.int32(raw, path, keepDefault);
      case 'int64':
        return this.int64(raw, path, keepDefault);
      case 'double':
        return this.double(raw, path, keepDefault);
      case 'duration':
        if (typeof raw !== 'string' || !DURATION.test(raw)) return this.invalid(path, 'type.googleapis.com/google.protobuf.Duration', raw);
        return raw;
      default:
        return undefined; // timestamps and Status are output-only in every message a client may send
    }
  }

  private enumValue(raw: unknown, enumName: EnumName, path: string, keepDefault: boolean): string | undefined {
    const name = resolveEnumValue(enumName, raw);
    if (name === undefined) return this.invalid(path, `type.googleapis.com/${ENUMS[enumName].fullName}`, raw);
    return isEnumDefault(enumName, name) && !keepDefault ? undefined : name;
  }

  private stringMap(raw: unknown, path: string): JsonObject | undefined {
    if (!isPlainObject(raw)) return this.invalid(path, 'map<string, string>', raw);
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(raw)) {
      if (typeof value === 'string') out[key] = value;
      else this.invalid(`${path}[${key}]`, 'TYPE_STRING', value);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private int32(raw: unknown, path: string, keepDefault: boolean): number | undefined {
    const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > INT32_MAX) return this.invalid(path, 'TYPE_INT32', raw);
    return n === 0 && !keepDefault ? undefined : n;
  }

  private int64(raw: unknown, path: string, keepDefault: boolean): string | undefined {
    const ok = (typeof raw === 'number' && Number.isSafeInteger(raw)) || (typeof raw === 'string' && /^-?\d{1,19}$/.test(raw));
    if (!ok) return this.invalid(path, 'TYPE_INT64', raw);
    const text = BigInt(raw as string | number).toString();
    return text === '0' && !keepDefault ? undefined : text;
  }

  private double(raw: unknown, path: string, keepDefault: boolean): number | undefined {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || (Number.isNaN(n) && raw !== 'NaN')) return this.invalid(path, 'TYPE_DOUBLE', raw);
    return n === 0 && !keepDefault ? undefined : n;
  }

  private invalid(path: string, type: string, raw: unknown): undefined {
    this.fail(path, `Invalid value at '${path}' (${type}), ${JSON.stringify(raw) ?? String(raw)}`);
    return undefined;
  }

  private fail(field: string, description: string): void {
    this.violations.push({field, description});
  }
}
