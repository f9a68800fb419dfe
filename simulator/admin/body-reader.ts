// Validation for admin bodies: collects every problem (unknown members included) and reports them
// together in the same 400 envelope as the REST surface, each naming its member.
import {invalidArgument} from '../http/error-details.js';
import {isPlainObject, type JsonObject, type Violation} from '../proto/normalize-input.js';

interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
}

export class BodyReader {
  private readonly violations: Violation[] = [];
  private readonly body: JsonObject;

  constructor(body: unknown, allowed: readonly string[]) {
    this.body = isPlainObject(body) ? body : {};
    if (body !== undefined && !isPlainObject(body)) this.fail('(body)', 'The request body must be a JSON object.');
    for (const key of Object.keys(this.body)) if (!allowed.includes(key)) this.fail(key, `Unknown field "${key}".`);
  }

  has(key: string): boolean {
    return this.body[key] !== undefined && this.body[key] !== null;
  }

  raw(key: string): unknown {
    return this.body[key];
  }

  string(key: string, required = false): string | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return this.missing(key, required);
    if (typeof value === 'string' && value !== '') return value;
    return this.fail(key, `"${key}" must be a non-empty string.`);
  }

  number(key: string, rule: NumberRule = {}): number | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return this.missing(key, rule.required ?? false);
    const bounds = `${rule.min ?? '-∞'}..${rule.max ?? '∞'}`;
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      return this.fail(key, `"${key}" must be ${rule.integer ? 'an integer' : 'a number'} in ${bounds}.`);
    }
    if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
      return this.fail(key, `"${key}" must be in ${bounds}; got ${value}.`);
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    return typeof value === 'boolean' ? value : this.fail(key, `"${key}" must be true or false.`);
  }

  oneOf<T extends string>(key: string, values: readonly T[], required = false): T | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return this.missing(key, required);
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    return this.fail(key, `"${key}" must be one of ${values.join(', ')}.`);
  }

  fail(field: string, description: string): undefined {
    this.violations.push({field, description});
    return undefined;
  }

  /** Throws 400 INVALID_ARGUMENT listing every problem found so far. */
  done(): void {
    if (this.violations.length > 0) throw invalidArgument(this.violations);
  }

  private missing(key: string, required: boolean): undefined {
    return required ? this.fail(key, `"${key}" is required.`) : undefined;
  }
}
