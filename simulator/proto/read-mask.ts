// `readMask` on nasJobs.list (a FieldMask: comma-separated paths, either spelling). Whether Vertex
// trims list items by it is unconfirmed; the simulator does, and rejects paths NasJob does not have.
import {invalidArgument} from '../http/error-details.js';
import {isPlainObject, type JsonObject} from './normalize-input.js';
import {SCHEMA, type FieldSpec, type MessageName} from './schema.js';

/** Field paths in camelCase, or undefined for an empty mask (everything). */
export function parseReadMask(mask: string, messageName: MessageName): string[][] | undefined {
  const paths = mask.split(',').map(p => p.trim()).filter(p => p !== '');
  if (paths.length === 0) return undefined;
  return paths.map(path => resolvePath(path, messageName));
}

function resolvePath(path: string, messageName: MessageName): string[] {
  const resolved: string[] = [];
  let current: MessageName | undefined = messageName;
  for (const part of path.split('.')) {
    const field: FieldSpec | undefined = current ? SCHEMA[current].byName.get(part) : undefined;
    if (!field) {
      throw invalidArgument([{field: 'read_mask', description: `Invalid field path "${path}" in read_mask for ${messageName}.`}]);
    }
    resolved.push(field.camel);
    current = field.kind === 'message' && !field.repeated ? field.messageName : undefined;
  }
  return resolved;
}

/** A copy of `value` holding only the masked paths. */
export function applyReadMask(value: JsonObject, paths: readonly string[][]): JsonObject {
  const out: JsonObject = {};
  for (const path of paths) copyPath(value, out, path);
  return out;
}

function copyPath(from: JsonObject, to: JsonObject, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || from[head] === undefined) return;
  if (rest.length === 0) {
    to[head] = from[head];
    return;
  }
  const source = from[head];
  if (!isPlainObject(source)) return;
  const existing = to[head];
  const target: JsonObject = isPlainObject(existing) ? existing : {};
  to[head] = target;
  copyPath(source, target, rest);
}
