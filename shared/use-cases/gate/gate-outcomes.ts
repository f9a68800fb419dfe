import {errorInfo} from '../../core/gate/gate-errors.js';
import {GateError} from '../../core/gate/gate-error.js';

/** 409 ABORTED: a concurrent request holds what this one needs; retrying later is right. */
export function conflict(message: string): GateError {
  return new GateError({httpStatus: 409, status: 'ABORTED', message, details: [errorInfo('CONCURRENT_REQUEST')]});
}
