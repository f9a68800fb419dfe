// `$alt=json;enum-encoding=int` (sent by the gapic REST fallback) asks for numeric enums in the answer.
import {enumNumber} from './enums.js';
import {isPlainObject, type JsonObject} from './normalize-input.js';
import {SCHEMA, type FieldSpec, type MessageName} from './schema.js';

/** Returns a copy of `value` (a `messageName`) with every enum name replaced by its number. */
export function encodeEnumsAsNumbers(value: unknown, messageName: MessageName): unknown {
  if (!isPlainObject(value)) return value;
  const spec = SCHEMA[messageName];
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    const field = spec.byName.get(key);
    out[key] = field ? encodeField(member, field) : member;
  }
  return out;
}

function encodeField(member: unknown, field: FieldSpec): unknown {
  if (field.repeated && Array.isArray(member)) return member.map(item => encodeSingle(item, field));
  return encodeSingle(member, field);
}

function encodeSingle(member: unknown, field: FieldSpec): unknown {
  if (field.kind === 'enum' && typeof member === 'string') return enumNumber(field.enumName, member);
  if (field.kind === 'message') return encodeEnumsAsNumbers(member, field.messageName);
  return member;
}
