import type {JsonObject} from './custom-job-spec.js';
import {fail, isJsonObject, memberPath, type Decoder} from './json-fields.js';
import {PayloadInvalidError} from './payload-error.js';

const snakeNames = new Map<string, string>();

/** The original proto (snake_case) name of a lowerCamelCase JSON member. */
export function snakeCaseOf(camel: string): string {
  // Member names come from a small fixed set; parsing a 10,000-job listing asks for them millions of times.
  let snake = snakeNames.get(camel);
  if (snake === undefined) snakeNames.set(camel, (snake = camel.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)));
  return snake;
}

/**
 * Reads the members of one proto3 JSON message. Members are found by lowerCamelCase or snake_case name
 * (Google's own CLI mixes them), `null` counts as absent (proto3 JSON), and unknown members are ignored.
 */
export class JsonMessage {
  private constructor(
    private readonly members: JsonObject,
    /** JSON path of the message, e.g. `$.nasJobs[2]`. */
    readonly path: string,
  ) {}

  /** Wraps `value`, which must be a JSON object. */
  static of(value: unknown, path: string): JsonMessage {
    return new JsonMessage(isJsonObject(value) ? value : fail(path, 'expected an object', value), path);
  }

  /** The raw member, or `undefined` when absent or null. */
  raw(key: string): unknown {
    const found = this.keyOf(key);
    return found === undefined ? undefined : (this.members[found] ?? undefined);
  }

  /** Decodes a member that must be present. */
  required<T>(key: string, decode: Decoder<T>): T {
    const value = this.raw(key);
    if (value === undefined) throw new PayloadInvalidError(this.pathOf(key), 'required member is missing');
    return decode(value, this.pathOf(key));
  }

  /** Decodes a member, or returns `fallback` (the proto3 default) when absent. */
  orDefault<T>(key: string, decode: Decoder<T>, fallback: T): T {
    const value = this.raw(key);
    return value === undefined ? fallback : decode(value, this.pathOf(key));
  }

  /** Decodes an optional member into an object to spread: `{}` when absent, so the field stays absent. */
  optional<K extends string, T>(key: K, decode: Decoder<T>): {[P in K]?: T} {
    const value = this.raw(key);
    return (value === undefined ? {} : {[key]: decode(value, this.pathOf(key))}) as {[P in K]?: T};
  }

  /** JSON path of a member under this message, spelled as it appears in the input. */
  pathOf(key: string): string {
    return memberPath(this.path, this.keyOf(key) ?? key);
  }

  // The camelCase spelling wins, unless it is null and the snake_case one carries a value.
  private keyOf(key: string): string | undefined {
    const camel = Object.hasOwn(this.members, key) ? this.members[key] : undefined;
    if (camel !== null && camel !== undefined) return key; // the common case, without building anything
    const snake = snakeCaseOf(key);
    const snakeValue = this.members[snake];
    if (snakeValue !== null && snakeValue !== undefined && Object.hasOwn(this.members, snake)) return snake;
    if (Object.hasOwn(this.members, key)) return key;
    return Object.hasOwn(this.members, snake) ? snake : undefined;
  }
}
