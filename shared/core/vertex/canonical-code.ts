// google/rpc/code.proto: canonical codes, their numbers and HTTP mappings (vertex-nasjobs-api.md §5).

/** Canonical code names, in number order (index = google.rpc.Code number). */
export const CANONICAL_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;
/** A canonical code name (`NOT_FOUND`). */
export type CanonicalCode = (typeof CANONICAL_CODES)[number];

// The inverse direction is ambiguous (400 is INVALID_ARGUMENT, FAILED_PRECONDITION or OUT_OF_RANGE), so
// this table picks the code code.proto names first for each HTTP status.
const BY_HTTP_STATUS: Readonly<Record<number, CanonicalCode>> = {
  200: 'OK',
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The canonical code an HTTP status stands for when a response carries none (`UNKNOWN` if none fits). */
export function canonicalCodeOfHttpStatus(httpStatus: number): CanonicalCode {
  return BY_HTTP_STATUS[httpStatus] ?? 'UNKNOWN';
}

/** The canonical name of a google.rpc.Code number, or `undefined`. */
export function canonicalCodeName(code: number): CanonicalCode | undefined {
  return CANONICAL_CODES[code];
}

const RETRYABLE_HTTP = new Set([429, 499, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set<string>([
  'RESOURCE_EXHAUSTED',
  'CANCELLED',
  'UNKNOWN',
  'INTERNAL',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
]);

/**
 * True when a read may be retried after this HTTP status (number) or canonical code (name).
 * Writes need narrower rules; an accelerator-quota 429 is never worth retrying (see isAcceleratorQuotaError).
 */
export function isRetryableStatus(status: number | string): boolean {
  return typeof status === 'number' ? RETRYABLE_HTTP.has(status) : RETRYABLE_CODES.has(status);
}
