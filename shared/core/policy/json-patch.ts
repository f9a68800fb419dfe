// The subset of JSON Patch (RFC 6902) that mutations emit: `add` and `replace` on object members.
// Ops are applied in order, each to the result of the one before, copying only along the path.

/** One op as it appears in a verdict. */
export interface PatchOp {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/** Builds a JSON Pointer (RFC 6901) from object keys. */
export function toPointer(keys: readonly string[]): string {
  let pointer = '';
  for (const key of keys) pointer += `/${ESCAPABLE.test(key) ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key}`;
  return pointer;
}

const ESCAPABLE = /[~/]/;

/** Splits a JSON Pointer into keys. */
export function fromPointer(pointer: string): string[] {
  return pointer.split('/').slice(1).map(key => (key.includes('~') ? key.replaceAll('~1', '/').replaceAll('~0', '~') : key));
}

/** A pointer as a dotted field path, the style of {@link Violation.field}. */
export function pointerToField(pointer: string): string {
  return fromPointer(pointer).join('.');
}

/** Applies one op without touching `doc`; the parents on the path must be objects. */
export function applyPatchOp<T>(doc: T, op: PatchOp): T {
  return setIn(doc, fromPointer(op.path), op.value) as T;
}

function setIn(node: unknown, keys: readonly string[], value: unknown): unknown {
  const [key, ...rest] = keys;
  if (key === undefined) return value;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new TypeError(`JSON Patch: parent of "${key}" is not an object`);
  }
  const record = node as Record<string, unknown>;
  // A computed key in a literal defines an own member, so even "__proto__" stays ordinary data.
  return {...record, [key]: setIn(Object.hasOwn(record, key) ? record[key] : undefined, rest, value)};
}
