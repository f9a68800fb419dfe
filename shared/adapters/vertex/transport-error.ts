import {NasmonError} from '../../errors.js';

/**
 * How a request failed before a complete response was read. `network` and `timeout` leave the request
 * possibly still running server-side; `truncated` and `malformed-body` mean the server answered 2xx.
 */
export type TransportFailure = 'network' | 'timeout' | 'truncated' | 'malformed-body';

/**
 * A Vertex request whose outcome is unknown: the connection failed, the timeout fired, or a success
 * response was not complete JSON (reset or truncated). Retryable; for writes the effect may have happened.
 */
export class VertexTransportError extends NasmonError {
  override readonly name = 'VertexTransportError';

  constructor(
    readonly failure: TransportFailure,
    message: string,
    options: ErrorOptions = {},
  ) {
    super('upstream-unavailable', message, options);
  }
}

/** True for a {@link VertexTransportError}. */
export function isVertexTransportError(err: unknown): err is VertexTransportError {
  return err instanceof VertexTransportError;
}
