// Builders for the google.rpc error_details messages the simulator attaches, and the ApiErrors that
// carry them. Vertex joins field violations into one "List of found errors" message; we do the same.
import type {Violation} from '../proto/normalize-input.js';
import {ApiError} from './rpc-error.js';

const TYPE_PREFIX = 'type.googleapis.com/google.rpc.';

export function badRequestDetail(violations: readonly Violation[]): Record<string, unknown> {
  return {'@type': `${TYPE_PREFIX}BadRequest`, fieldViolations: violations.map(v => ({field: v.field, description: v.description}))};
}

export function retryInfoDetail(seconds: number): Record<string, unknown> {
  return {'@type': `${TYPE_PREFIX}RetryInfo`, retryDelay: `${Math.max(0, Math.ceil(seconds))}s`};
}

export function quotaFailureDetail(subject: string, description: string): Record<string, unknown> {
  return {'@type': `${TYPE_PREFIX}QuotaFailure`, violations: [{subject, description}]};
}

export function errorInfoDetail(reason: string, metadata: Record<string, string>): Record<string, unknown> {
  return {'@type': `${TYPE_PREFIX}ErrorInfo`, reason, domain: 'aiplatform.googleapis.com', metadata};
}

/** 400 INVALID_ARGUMENT listing every violation, in Vertex's aggregate message format. */
export function invalidArgument(violations: readonly Violation[]): ApiError {
  const listed = violations.map((v, i) => `${i + 1}.Field: ${v.field}; Message: ${v.description}`).join('\t');
  return new ApiError('INVALID_ARGUMENT', `List of found errors:\t${listed}\t`, [badRequestDetail(violations)]);
}

/** 400 INVALID_ARGUMENT for JSON-level problems (unknown member, wrong type), as Google's transcoder words them. */
export function invalidPayload(violations: readonly Violation[]): ApiError {
  const message = violations.map(v => v.description).join('\n');
  return new ApiError('INVALID_ARGUMENT', message, [badRequestDetail(violations)]);
}

/** 404 NOT_FOUND with a ResourceInfo naming what was looked up. */
export function notFound(resourceType: string, resourceName: string): ApiError {
  const detail = {'@type': `${TYPE_PREFIX}ResourceInfo`, resourceType, resourceName};
  return new ApiError('NOT_FOUND', `${resourceType} "${resourceName}" was not found.`, [detail]);
}

export function failedPrecondition(message: string): ApiError {
  return new ApiError('FAILED_PRECONDITION', message);
}
