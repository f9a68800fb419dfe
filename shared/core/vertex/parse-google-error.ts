import {canonicalCodeName, canonicalCodeOfHttpStatus} from './canonical-code.js';
import {decodeErrorDetails} from './error-details.js';
import {isJsonObject} from './json-fields.js';
import {VertexApiError} from './vertex-api-error.js';

/** Extra facts about the HTTP response an error body came with. */
export interface GoogleErrorContext {
  /** Seconds from a `Retry-After` header. */
  readonly retryAfterSeconds?: number;
}

/**
 * Turns an error response into a {@link VertexApiError}. `body` is the parsed JSON, or the raw text when
 * it was not JSON. Never throws: whatever is missing from the envelope is filled in from the HTTP status.
 */
export function parseGoogleError(httpStatus: number, body: unknown, context: GoogleErrorContext = {}): VertexApiError {
  // Some Google front ends wrap the envelope in a one-element array.
  const envelope = Array.isArray(body) ? body[0] : body;
  const error = isJsonObject(envelope) && isJsonObject(envelope['error']) ? envelope['error'] : undefined;
  return new VertexApiError({
    httpStatus,
    status: statusOf(error?.['status']) ?? canonicalCodeOfHttpStatus(httpStatus),
    serverMessage: messageOf(error, body, httpStatus),
    details: decodeErrorDetails(error?.['details']),
    ...(context.retryAfterSeconds === undefined ? {} : {retryAfterSeconds: context.retryAfterSeconds}),
  });
}

function statusOf(raw: unknown): string | undefined {
  if (typeof raw === 'string' && raw !== '') return raw;
  return typeof raw === 'number' ? canonicalCodeName(raw) : undefined; // enum-encoding=int
}

function messageOf(error: Readonly<Record<string, unknown>> | undefined, body: unknown, httpStatus: number): string {
  if (typeof error?.['message'] === 'string') return error['message'];
  if (typeof body === 'string' && body.trim() !== '') return body.trim().slice(0, 500);
  return `HTTP ${httpStatus} without an error message`;
}
