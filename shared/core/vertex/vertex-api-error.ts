import {NasmonError, type ErrorCode} from '../../errors.js';
import {isRetryableStatus, type CanonicalCode} from './canonical-code.js';
import type {ErrorDetail} from './error-details.js';

/** The fields of Google's error envelope, `{"error": {"code", "message", "status", "details"}}`. */
export interface VertexApiErrorInit {
  readonly httpStatus: number;
  /** Canonical code name; a name unknown to this client is kept as sent. */
  readonly status: CanonicalCode | (string & {});
  readonly serverMessage: string;
  readonly details: readonly ErrorDetail[];
  /** From a `Retry-After` header, when the response had one. */
  readonly retryAfterSeconds?: number;
}

/** An error response of the Vertex REST API. `message` reads `404 NOT_FOUND: <server message>`. */
export class VertexApiError extends NasmonError {
  override readonly name = 'VertexApiError';
  readonly httpStatus: number;
  readonly status: CanonicalCode | (string & {});
  /** The server's own message, verbatim. */
  readonly serverMessage: string;
  readonly details: readonly ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(init: VertexApiErrorInit) {
    super(errorCodeOf(init), `${init.httpStatus} ${init.status}: ${init.serverMessage}`);
    this.httpStatus = init.httpStatus;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.details = init.details;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** True for a {@link VertexApiError}, optionally with the given canonical status. */
export function isVertexApiError(err: unknown, status?: CanonicalCode): err is VertexApiError {
  return err instanceof VertexApiError && (status === undefined || err.status === status);
}

// Allocation quotas are named aiplatform.googleapis.com/custom_model_training_<accelerator> (api reference §8.7).
const ACCELERATOR_QUOTA = /custom_model_training_/;

/** True for a 429 caused by accelerator/CPU allocation quota on create: waiting will not help. */
export function isAcceleratorQuotaError(err: unknown): boolean {
  if (!(err instanceof VertexApiError) || (err.httpStatus !== 429 && err.status !== 'RESOURCE_EXHAUSTED')) return false;
  return isAcceleratorQuota(err);
}

/** The delay the server asked for before a retry, in milliseconds: RetryInfo first, then Retry-After. */
export function retryDelayOf(err: unknown): number | undefined {
  if (!(err instanceof VertexApiError)) return undefined;
  const info = err.details.find(detail => detail.kind === 'RetryInfo');
  const seconds = info?.retryDelaySeconds ?? err.retryAfterSeconds;
  return seconds === undefined ? undefined : Math.max(0, seconds * 1000);
}

function isAcceleratorQuota(init: VertexApiErrorInit): boolean {
  if (ACCELERATOR_QUOTA.test(init.serverMessage)) return true;
  return init.details.some(detail => {
    if (detail.kind === 'QuotaFailure') {
      return detail.violations.some(v => ACCELERATOR_QUOTA.test(`${v.quotaMetric ?? ''} ${v.subject} ${v.description}`));
    }
    return detail.kind === 'ErrorInfo' && Object.values(detail.metadata).some(v => ACCELERATOR_QUOTA.test(v));
  });
}

function errorCodeOf(init: VertexApiErrorInit): ErrorCode {
  if (init.httpStatus === 429) return isAcceleratorQuota(init) ? 'upstream-rejected' : 'upstream-rate-limited';
  return isRetryableStatus(init.httpStatus) ? 'upstream-unavailable' : 'upstream-rejected';
}
