import {gateErrorFromVertex} from '../../core/gate/error-envelope.js';
import {isVertexApiError} from '../../core/vertex/vertex-api-error.js';

/** Runs a Vertex call; its API errors become the gate's, faithfully (status, message, details). */
export async function vertexCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isVertexApiError(error) ? gateErrorFromVertex(error) : error;
  }
}
