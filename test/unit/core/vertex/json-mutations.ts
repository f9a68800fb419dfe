// fast-check arbitraries that damage valid Vertex responses the way a buggy or newer server might.
import fc from 'fast-check';
import {snakeCaseOf} from '../../../../shared/core/vertex/json-message.js';

type Json = unknown;
type Path = readonly (string | number)[];

/** Every path to a value inside `json`, the root included. */
export function pathsOf(json: Json, prefix: Path = []): Path[] {
  const children =
    Array.isArray(json) ? json.map((v, i) => pathsOf(v, [...prefix, i])).flat()
    : typeof json === 'object' && json !== null ? Object.entries(json).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))
    : [];
  return [prefix, ...children];
}

/** A copy of `json` with the value at `path` replaced (`undefined` deletes it). */
export function replaceAt(json: Json, path: Path, replace: (old: Json) => Json): Json {
  if (path.length === 0) return replace(json);
  const [head, ...rest] = path;
  if (Array.isArray(json)) return json.map((v, i) => (i === head ? replaceAt(v, rest, replace) : v));
  const object = {...(json as Record<string, Json>)};
  const next = replaceAt(object[head as string], rest, replace);
  if (next === undefined) delete object[head as string];
  else object[head as string] = next;
  return object;
}

// Members whose keys are data, not proto field names.
const MAP_MEMBERS = new Set(['labels', 'metadata', 'quotaDimensions']);

/** `json` with every proto member name in snake_case, as Google's CLI sometimes sends them. */
export function snakeCaseKeys(json: Json): Json {
  if (Array.isArray(json)) return json.map(snakeCaseKeys);
  if (typeof json !== 'object' || json === null) return json;
  return Object.fromEntries(
    Object.entries(json).map(([k, v]) => [k.startsWith('@') ? k : snakeCaseOf(k), MAP_MEMBERS.has(k) ? v : snakeCaseKeys(v)]),
  );
}

const MUTATIONS = ['delete', 'replace', 'null', 'enum-number', 'stringify', 'wrap-array', 'snake-case'] as const;

/** One to three random mutations applied to `json`. */
export function mutated(json: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(json);
  const one = fc.record({
    path: fc.constantFrom(...paths),
    kind: fc.constantFrom(...MUTATIONS),
    value: fc.jsonValue({maxDepth: 2}),
    number: fc.oneof(fc.integer({min: -2, max: 30}), fc.integer(), fc.double()),
  });
  return fc.array(one, {minLength: 1, maxLength: 3}).map(steps =>
    steps.reduce<Json>((acc, {path, kind, value, number}) => replaceAt(acc, path, old => apply(kind, old, value, number)), json),
  );
}

function apply(kind: (typeof MUTATIONS)[number], old: Json, value: Json, number: number): Json {
  switch (kind) {
    case 'delete': return undefined;
    case 'replace': return value;
    case 'null': return null;
    case 'enum-number': return number;
    case 'stringify': return typeof old === 'string' ? old : JSON.stringify(old);
    case 'wrap-array': return [old];
    case 'snake-case': return snakeCaseKeys(old);
  }
}
