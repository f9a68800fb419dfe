// What each injected fault looks like on the wire.
import type {FaultRule} from '../faults/fault-registry.js';
import {quotaFailureDetail, retryInfoDetail} from './error-details.js';
import {ApiError} from './rpc-error.js';

/** Truncation always happens after the request took effect; deadline and reset only when asked. */
export function isAfterEffect(fault: FaultRule): boolean {
  return fault.kind === 'truncate' || ((fault.kind === 'deadline' || fault.kind === 'reset') && fault.afterEffect === true);
}

export function faultError(fault: FaultRule): ApiError {
  switch (fault.kind) {
    case 'deadline':
      return new ApiError('DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.');
    case 'rate-limit': {
      const seconds = fault.retryDelaySeconds ?? 1;
      return new ApiError('RESOURCE_EXHAUSTED', 'Quota exceeded: too many requests (injected by the simulator).', [
        quotaFailureDetail('simulator', 'aiplatform.googleapis.com/resource_management_requests'),
        retryInfoDetail(seconds),
      ]);
    }
    default:
      return new ApiError('UNAVAILABLE', 'The service is currently unavailable.');
  }
}
