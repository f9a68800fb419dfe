import {isPlainObject, type JsonObject} from './normalize-input.js';

/** Follows `keys` through nested plain objects; undefined as soon as a step is missing. */
export function getPath(value: unknown, ...keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function getObject(value: unknown, ...keys: readonly string[]): JsonObject | undefined {
  const found = getPath(value, ...keys);
  return isPlainObject(found) ? found : undefined;
}

export function getNumber(value: unknown, ...keys: readonly string[]): number {
  const found = getPath(value, ...keys);
  return typeof found === 'number' ? found : typeof found === 'string' ? Number(found) || 0 : 0;
}

export function getString(value: unknown, ...keys: readonly string[]): string {
  const found = getPath(value, ...keys);
  return typeof found === 'string' ? found : '';
}
