import {NasmonError, type ErrorCode} from '../../errors.js';
import type {CanonicalCode} from '../vertex/canonical-code.js';
import type {ErrorDetail} from '../vertex/error-details.js';

/** What a gate error response says: the HTTP status, the canonical code name, a message and details. */
export interface GateErrorInit {
  /** The HTTP status of the response, also `error.code` in the envelope (AIP-193). */
  readonly httpStatus: number;
  /** Canonical code name; a name passed through from Vertex that this client does not know is kept. */
  readonly status: CanonicalCode | (string & {});
  /** Safe to show to the caller: never a token, a stack or an internal name. */
  readonly message: string;
  readonly details?: readonly ErrorDetail[];
  /** Extra response headers, e.g. `WWW-Authenticate`, `Retry-After`, `Allow`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A refusal the gate answers with Google's error envelope. Thrown by the parsers, the verifier and the
 * edge helpers; `sendGateError` turns it into the response, so every layer speaks one error shape.
 */
export class GateError extends NasmonError {
  override readonly name = 'GateError';
  readonly httpStatus: number;
  readonly status: CanonicalCode | (string & {});
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GateErrorInit, options: ErrorOptions = {}) {
    super(errorCodeOf(init.httpStatus), init.message, options);
    this.httpStatus = init.httpStatus;
    this.status = init.status;
    this.details = init.details ?? [];
    this.headers = init.headers ?? {};
  }
}

/** True for a {@link GateError}, optionally with the given HTTP status. */
export function isGateError(err: unknown, httpStatus?: number): err is GateError {
  return err instanceof GateError && (httpStatus === undefined || err.httpStatus === httpStatus);
}

// NasmonError's code only drives retry decisions: a caller's mistake is final, a 429 or 5xx is not.
function errorCodeOf(httpStatus: number): ErrorCode {
  if (httpStatus === 429) return 'upstream-rate-limited';
  return httpStatus >= 500 ? 'upstream-unavailable' : 'invalid-argument';
}
