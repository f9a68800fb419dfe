// Query parameters as Google's front end binds them: request fields by lowerCamelCase or snake_case
// name, plus system parameters; anything else is rejected rather than silently ignored.
import {camelToSnake} from '../proto/schema.js';
import {invalidArgument, invalidPayload} from './error-details.js';

const SYSTEM_PARAMETERS = new Set([
  '$alt', 'alt', 'fields', '$fields', 'prettyPrint', '$prettyPrint', 'key', 'quotaUser', 'access_token',
  'oauth_token', 'callback', '$callback', '$.xgafv', 'uploadType', 'upload_protocol', 'requestReason',
]);

/** Throws 400 for any query parameter that is neither in `allowed` (camelCase) nor a system parameter. */
export function checkQueryParameters(query: URLSearchParams, allowed: readonly string[]): void {
  const names = new Set(allowed.flatMap(name => [name, camelToSnake(name)]));
  for (const key of new Set(query.keys())) {
    if (names.has(key) || SYSTEM_PARAMETERS.has(key)) continue;
    const description =
      `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. ` +
      `Field '${key}' could not be found in request message.`;
    throw invalidPayload([{field: key, description}]);
  }
}

/** The value of a request-field query parameter under either spelling. */
export function queryValue(query: URLSearchParams, camelName: string): string | undefined {
  return query.get(camelName) ?? query.get(camelToSnake(camelName)) ?? undefined;
}

/** A non-negative int32 query parameter (pageSize); 0 or absent gives `fallback`, above `max` clamps. */
export function pageSizeOf(query: URLSearchParams, fallback: number, max: number): number {
  const raw = queryValue(query, 'pageSize');
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 2 ** 31 - 1) {
    throw invalidArgument([{field: 'page_size', description: `Invalid value "${raw}": page_size must be a non-negative integer.`}]);
  }
  const n = Number(raw);
  return n === 0 ? fallback : Math.min(n, max);
}

/** True when the caller asked for numeric enums (`$alt=json;enum-encoding=int`, the gapic fallback's form). */
export function wantsNumericEnums(query: URLSearchParams): boolean {
  const alt = query.get('$alt') ?? query.get('alt') ?? '';
  return /(^|;)\s*enum-encoding=int\b/.test(alt);
}
