import {gateErrorFromVertex} from '../../core/gate/error-envelope.js';
import {GateError} from '../../core/gate/gate-error.js';
import {deadlineExceeded, internalError, unavailable} from '../../core/gate/gate-errors.js';
import {VertexApiError} from '../../core/vertex/vertex-api-error.js';
import {VertexTransportError} from '../vertex/transport-error.js';

/**
 * The GateError to answer for anything thrown: GateErrors as they are, Vertex errors passed through
 * (gateErrorFromVertex), transport failures as 503/504, and everything else as a bare 500 INTERNAL,
 * whose real cause stays in `cause` for the log.
 */
export function toGateError(error: unknown): GateError {
  if (error instanceof GateError) return error;
  if (error instanceof VertexApiError) return gateErrorFromVertex(error);
  if (error instanceof VertexTransportError) {
    const gateError =
      error.failure === 'timeout'
        ? deadlineExceeded('Vertex AI did not answer in time; the outcome is unknown, check before retrying a create')
        : unavailable('Vertex AI could not be reached or answered incompletely; retry shortly', undefined, 'UPSTREAM_UNAVAILABLE');
    return withCause(gateError, error);
  }
  return withCause(internalError(), error);
}

function withCause(gateError: GateError, cause: unknown): GateError {
  return new GateError(
    {httpStatus: gateError.httpStatus, status: gateError.status, message: gateError.message, details: gateError.details, headers: gateError.headers},
    {cause},
  );
}
