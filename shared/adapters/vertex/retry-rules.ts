import {isAcceleratorQuotaError, VertexApiError} from '../../core/vertex/vertex-api-error.js';
import {isRetryableStatus} from '../../core/vertex/canonical-code.js';
import {VertexTransportError} from './transport-error.js';

/** Which retry rule a method follows (vertex-nasjobs-api.md §5, "Retry policy notes"). */
export type RetryRule = 'read' | 'cancel' | 'delete';

// A 429 for request rate is refused before anything happens, so retrying it is safe for every method.
// Cancel and delete otherwise retry only where Google's idempotent set does (UNAVAILABLE, DEADLINE_EXCEEDED).
const WRITE_RETRY_HTTP = new Set([429, 503, 504]);

/** True when a failed call of this kind may be sent again as it is. Create never is: see createNasJob. */
export function isRetryableFor(rule: RetryRule, error: unknown): boolean {
  if (error instanceof VertexTransportError) return true;
  if (!(error instanceof VertexApiError) || isAcceleratorQuotaError(error)) return false;
  return rule === 'read' ? isRetryableStatus(error.httpStatus) : WRITE_RETRY_HTTP.has(error.httpStatus);
}

const AMBIGUOUS_HTTP = new Set([500, 502, 503, 504]);

/** True when a create may or may not have happened: look for the job before creating it again. */
export function isAmbiguousCreateFailure(error: unknown): boolean {
  return error instanceof VertexTransportError || (error instanceof VertexApiError && AMBIGUOUS_HTTP.has(error.httpStatus));
}

/** True for a request-rate 429 (not an allocation quota): the target should be paused. */
export function isRateLimitError(error: unknown): error is VertexApiError {
  return error instanceof VertexApiError && error.httpStatus === 429 && !isAcceleratorQuotaError(error);
}
