import type {Violation} from '../policy/verdict.js';
import type {ErrorDetail, FieldViolation, PreconditionViolation} from '../vertex/error-details.js';
import {GateError} from './gate-error.js';

// The gate's catalogue of refusals (fastify's idea: one constructor per kind). Each carries an
// ErrorInfo in the `nasmon` domain whose `reason` is a stable UPPER_SNAKE_CASE key (AIP-193), so
// callers branch on it instead of parsing messages.

/** The ErrorInfo domain of errors made by the gate itself (Vertex's own keep their domain). */
export const GATE_ERROR_DOMAIN = 'nasmon';

/** An ErrorInfo detail in the gate's domain. */
export function errorInfo(reason: string, metadata: Readonly<Record<string, string>> = {}): ErrorDetail {
  return {kind: 'ErrorInfo', reason, domain: GATE_ERROR_DOMAIN, metadata};
}

/** 400 INVALID_ARGUMENT with a BadRequest listing every field violation. */
export function invalidArgument(message: string, violations: readonly FieldViolation[] = [], reason = 'INVALID_ARGUMENT'): GateError {
  const details: ErrorDetail[] = [errorInfo(reason)];
  if (violations.length > 0) details.push({kind: 'BadRequest', fieldViolations: violations});
  return new GateError({httpStatus: 400, status: 'INVALID_ARGUMENT', message, details});
}

/** 400 FAILED_PRECONDITION with a PreconditionFailure (e.g. cancelling a job that already finished). */
export function failedPrecondition(message: string, violations: readonly PreconditionViolation[], reason = 'FAILED_PRECONDITION'): GateError {
  return new GateError({
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message,
    details: [errorInfo(reason), {kind: 'PreconditionFailure', violations}],
  });
}

/** 401 UNAUTHENTICATED with RFC 6750's `WWW-Authenticate` challenge; `message` must never contain the token. */
export function unauthenticated(reason: string, message: string): GateError {
  return new GateError({
    httpStatus: 401,
    status: 'UNAUTHENTICATED',
    message,
    details: [errorInfo(reason)],
    headers: {'WWW-Authenticate': 'Bearer realm="nasmon", error="invalid_token"'},
  });
}

/** 403 PERMISSION_DENIED; `metadata` names what denied it (e.g. `{rule: 'allowed-regions'}`). */
export function permissionDenied(message: string, reason = 'PERMISSION_DENIED', metadata: Readonly<Record<string, string>> = {}): GateError {
  return new GateError({httpStatus: 403, status: 'PERMISSION_DENIED', message, details: [errorInfo(reason, metadata)]});
}

/** 403 for a policy verdict: ErrorInfo names the first denying rule (and all of them), BadRequest the fields. */
export function policyDenied(violations: readonly Pick<Violation, 'rule' | 'field' | 'message'>[]): GateError {
  const rules = [...new Set(violations.map(v => v.rule))];
  const message = `denied by policy: ${violations.map(v => `${v.rule}: ${v.message}`).join('; ') || 'no rule allows this'}`;
  return new GateError({
    httpStatus: 403,
    status: 'PERMISSION_DENIED',
    message,
    details: [
      errorInfo('POLICY_DENIED', {rule: rules[0] ?? '', rules: rules.join(',')}),
      {kind: 'BadRequest', fieldViolations: violations.map(v => ({field: v.field, description: `${v.rule}: ${v.message}`}))},
    ],
  });
}

/** 404 NOT_FOUND. */
export function notFound(message: string, reason = 'NOT_FOUND'): GateError {
  return new GateError({httpStatus: 404, status: 'NOT_FOUND', message, details: [errorInfo(reason)]});
}

/** 405 for a known path with another method; the canonical code says "fix the request". */
export function methodNotAllowed(method: string, allowed: readonly string[]): GateError {
  return new GateError({
    httpStatus: 405,
    status: 'INVALID_ARGUMENT',
    message: `method ${method} is not allowed here; use ${allowed.join(' or ')}`,
    details: [errorInfo('METHOD_NOT_ALLOWED', {allowed: allowed.join(',')})],
    headers: {Allow: allowed.join(', ')},
  });
}

/** 413 for a body over the limit. */
export function payloadTooLarge(limitBytes: number): GateError {
  return new GateError({
    httpStatus: 413,
    status: 'INVALID_ARGUMENT',
    message: `the request body is larger than the limit of ${limitBytes} bytes`,
    details: [errorInfo('BODY_TOO_LARGE', {limitBytes: String(limitBytes)})],
  });
}

/** 415 for a body that is not `application/json` (or is compressed, or in another charset). */
export function unsupportedMediaType(message: string, reason = 'UNSUPPORTED_MEDIA_TYPE'): GateError {
  return new GateError({httpStatus: 415, status: 'INVALID_ARGUMENT', message, details: [errorInfo(reason)]});
}

/** 429 RESOURCE_EXHAUSTED with RetryInfo and `Retry-After` when the wait is known. */
export function resourceExhausted(message: string, retryDelaySeconds?: number, reason = 'RATE_LIMITED'): GateError {
  return withRetry(429, 'RESOURCE_EXHAUSTED', message, reason, retryDelaySeconds);
}

/** 503 UNAVAILABLE (a dependency failed; the caller may retry), with RetryInfo when the wait is known. */
export function unavailable(message: string, retryDelaySeconds?: number, reason = 'UNAVAILABLE'): GateError {
  return withRetry(503, 'UNAVAILABLE', message, reason, retryDelaySeconds);
}

/** 504 DEADLINE_EXCEEDED: the gate's time limit ran out; a write may still have happened. */
export function deadlineExceeded(message: string): GateError {
  return new GateError({httpStatus: 504, status: 'DEADLINE_EXCEEDED', message, details: [errorInfo('DEADLINE_EXCEEDED')]});
}

/**
 * 408 DEADLINE_EXCEEDED: the request's body did not arrive within the time allowed, so nothing was
 * done (no Vertex call, no audit entry); a client on a slow link may retry.
 */
export function requestTimeout(seconds: number): GateError {
  return new GateError({
    httpStatus: 408, status: 'DEADLINE_EXCEEDED', message: `the request body did not arrive within ${seconds} s`, details: [errorInfo('REQUEST_TIMEOUT')],
  });
}

/** 500 INTERNAL with a fixed message: what went wrong is logged, never sent. */
export function internalError(): GateError {
  return new GateError({httpStatus: 500, status: 'INTERNAL', message: 'internal error', details: [errorInfo('INTERNAL')]});
}

function withRetry(httpStatus: number, status: string, message: string, reason: string, seconds: number | undefined): GateError {
  const details: ErrorDetail[] = [errorInfo(reason)];
  if (seconds === undefined) return new GateError({httpStatus, status, message, details});
  details.push({kind: 'RetryInfo', retryDelaySeconds: seconds});
  return new GateError({httpStatus, status, message, details, headers: {'Retry-After': String(Math.max(0, Math.ceil(seconds)))}});
}
