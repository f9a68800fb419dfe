import {NasmonError} from '../../errors.js';

/** A response that does not match the Vertex schema: `path` is the JSON path (`$.nasJobs[3].state`). */
export class PayloadInvalidError extends NasmonError {
  override readonly name = 'PayloadInvalidError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('payload-invalid', `${path}: ${reason}`);
  }
}

/** True for a {@link PayloadInvalidError}. */
export function isPayloadInvalidError(err: unknown): err is PayloadInvalidError {
  return err instanceof PayloadInvalidError;
}
