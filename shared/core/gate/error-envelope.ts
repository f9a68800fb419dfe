import type {JsonObject} from '../vertex/custom-job-spec.js';
import type {ErrorDetail} from '../vertex/error-details.js';
import {formatDuration} from '../vertex/time.js';
import type {VertexApiError} from '../vertex/vertex-api-error.js';
import {GateError} from './gate-error.js';
import {errorInfo} from './gate-errors.js';

// Google's error envelope (AIP-193, vertex-nasjobs-api.md §5): `code` is the HTTP status, `status`
// the canonical code name, `details` typed google.rpc messages, each with its `@type` URL.

/** The JSON body of every error response of the gate. */
export interface GoogleErrorEnvelope {
  readonly error: {
    readonly code: number;
    readonly status: string;
    readonly message: string;
    readonly details: readonly JsonObject[];
  };
}

const TYPE_PREFIX = 'type.googleapis.com/google.rpc.';

/** The envelope of a gate error. */
export function toErrorEnvelope(error: GateError): GoogleErrorEnvelope {
  return {
    error: {code: error.httpStatus, status: error.status, message: error.message, details: error.details.map(encodeErrorDetail)},
  };
}

/** One detail as google.rpc JSON; details kept raw from Vertex (`Other`) go out exactly as received. */
export function encodeErrorDetail(detail: ErrorDetail): JsonObject {
  switch (detail.kind) {
    case 'ErrorInfo':
      return {'@type': `${TYPE_PREFIX}ErrorInfo`, reason: detail.reason, domain: detail.domain, metadata: detail.metadata};
    case 'RetryInfo':
      return {'@type': `${TYPE_PREFIX}RetryInfo`, retryDelay: formatDuration(Math.max(0, detail.retryDelaySeconds))};
    case 'QuotaFailure':
      return {'@type': `${TYPE_PREFIX}QuotaFailure`, violations: detail.violations};
    case 'BadRequest':
      return {'@type': `${TYPE_PREFIX}BadRequest`, fieldViolations: detail.fieldViolations};
    case 'PreconditionFailure':
      return {'@type': `${TYPE_PREFIX}PreconditionFailure`, violations: detail.violations};
    case 'Other':
      return detail.raw;
  }
}

/**
 * The gate's answer for a Vertex error: Vertex's HTTP status, canonical status, message and details
 * pass through, so a caller sees what it would have seen calling Vertex directly. Exceptions: a
 * Vertex 401 concerns nasmon's own credentials, not the caller's token, so it becomes a 500; a
 * `Retry-After` without RetryInfo is turned into RetryInfo, so the envelope alone says when to retry;
 * and DebugInfo (server stack entries) is dropped.
 */
export function gateErrorFromVertex(error: VertexApiError): GateError {
  if (error.httpStatus === 401) {
    return new GateError(
      {
        httpStatus: 500,
        status: 'INTERNAL',
        message: 'nasmon could not authenticate to Vertex AI',
        details: [errorInfo('UPSTREAM_AUTHENTICATION_FAILED')],
      },
      {cause: error},
    );
  }
  // DebugInfo carries server stack entries; Google does not send it to clients, and neither does the gate.
  const kept = error.details.filter(detail => !(detail.kind === 'Other' && detail.typeUrl.endsWith('google.rpc.DebugInfo')));
  const hasRetryInfo = kept.some(detail => detail.kind === 'RetryInfo');
  const retryAfter = error.retryAfterSeconds;
  const details = hasRetryInfo || retryAfter === undefined ? kept : [...kept, {kind: 'RetryInfo' as const, retryDelaySeconds: retryAfter}];
  const delay = details.find(detail => detail.kind === 'RetryInfo')?.retryDelaySeconds;
  return new GateError(
    {
      httpStatus: error.httpStatus,
      status: error.status,
      message: error.serverMessage,
      details,
      ...(delay === undefined ? {} : {headers: {'Retry-After': String(Math.max(0, Math.ceil(delay)))}}),
    },
    {cause: error},
  );
}
