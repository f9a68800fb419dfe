import {describe, expect, it} from 'vitest';
import {isRetryableStatus} from '../../../../shared/core/vertex/canonical-code.js';
import {parseGoogleError} from '../../../../shared/core/vertex/parse-google-error.js';
import {
  isAcceleratorQuotaError,
  isVertexApiError,
  retryDelayOf,
  VertexApiError,
} from '../../../../shared/core/vertex/vertex-api-error.js';
import {aGoogleErrorBody, vertexFixture} from '../../../factories.js';

describe('parseGoogleError', () => {
  it('keeps the BadRequest field violations of a 400', () => {
    const error = parseGoogleError(400, vertexFixture('error-400-bad-request.json'));

    expect(error).toBeInstanceOf(VertexApiError);
    expect(error).toMatchObject({httpStatus: 400, status: 'INVALID_ARGUMENT', code: 'upstream-rejected', retryable: false});
    expect(error.serverMessage).toContain('Unknown name "maxTrials"');
    expect(error.message).toMatch(/^400 INVALID_ARGUMENT: Invalid JSON payload/);
    expect(error.details).toEqual([
      {kind: 'BadRequest', fieldViolations: [{field: 'nas_job.nas_job_spec.multi_trial_algorithm_spec.search_trial_spec', description: expect.any(String)}]},
    ]);
  });

  it('types every detail of a rate-limit 429 and keeps the unknown Help detail raw', () => {
    const error = parseGoogleError(429, vertexFixture('error-429-rate.json'));

    expect(error.details.map(d => d.kind)).toEqual(['ErrorInfo', 'QuotaFailure', 'RetryInfo', 'Other']);
    expect(error.details[0]).toMatchObject({reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: {service: 'aiplatform.googleapis.com'}});
    expect(error.details[1]).toMatchObject({violations: [{quotaMetric: 'aiplatform.googleapis.com/resource_management_requests', quotaValue: '600', quotaDimensions: {region: 'us-central1'}}]});
    expect(error.details[2]).toEqual({kind: 'RetryInfo', retryDelaySeconds: 7.5});
    expect(error.details[3]).toMatchObject({kind: 'Other', typeUrl: 'type.googleapis.com/google.rpc.Help'});
    expect(error).toMatchObject({code: 'upstream-rate-limited', retryable: true});
    expect(retryDelayOf(error)).toBe(7500);
    expect(isAcceleratorQuotaError(error)).toBe(false);
  });

  it('recognises an accelerator-quota 429 from its message and does not mark it retryable', () => {
    const error = parseGoogleError(429, vertexFixture('error-429-accelerator.json'));
    expect(isAcceleratorQuotaError(error)).toBe(true);
    expect(error).toMatchObject({code: 'upstream-rejected', retryable: false});
  });

  it('recognises an accelerator-quota 429 from a QuotaFailure metric', () => {
    const body = aGoogleErrorBody(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [
      {'@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{quotaMetric: 'aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus'}]},
    ]);
    expect(isAcceleratorQuotaError(parseGoogleError(429, body))).toBe(true);
  });

  it('keeps the PreconditionFailure of a FAILED_PRECONDITION', () => {
    const error = parseGoogleError(400, vertexFixture('error-400-failed-precondition.json'));
    expect(isVertexApiError(error, 'FAILED_PRECONDITION')).toBe(true);
    expect(error.details).toMatchObject([{kind: 'PreconditionFailure', violations: [{type: 'STATE'}]}]);
  });

  it.each([
    ['a 404 envelope', 404, vertexFixture('error-404.json'), 'NOT_FOUND', 'The NasJob does not exist.'],
    ['an HTML 502 page', 502, '<html><body>Bad Gateway</body></html>', 'UNKNOWN', '<html><body>Bad Gateway</body></html>'],
    ['an empty 503', 503, '', 'UNAVAILABLE', 'HTTP 503 without an error message'],
    ['a truncated body', 504, '{"error": {"code": 5', 'DEADLINE_EXCEEDED', '{"error": {"code": 5'],
    ['a status given as a number', 409, {error: {status: 10, message: 'm'}}, 'ABORTED', 'm'],
    ['an array-wrapped envelope', 403, [aGoogleErrorBody(403, 'PERMISSION_DENIED', 'denied')], 'PERMISSION_DENIED', 'denied'],
    ['a status unknown to this client', 400, aGoogleErrorBody(400, 'SOMETHING_NEW', 'x'), 'SOMETHING_NEW', 'x'],
  ])('fills in what is missing from %s', (_, httpStatus, body, status, message) => {
    expect(parseGoogleError(httpStatus, body)).toMatchObject({httpStatus, status, serverMessage: message});
  });

  it('keeps malformed details raw instead of failing', () => {
    const body = aGoogleErrorBody(429, 'RESOURCE_EXHAUSTED', 'slow down', [
      {'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon'},
      'not an object',
    ]);
    const error = parseGoogleError(429, body);
    expect(error.details).toMatchObject([{kind: 'Other', typeUrl: 'type.googleapis.com/google.rpc.RetryInfo'}]);
    expect(retryDelayOf(error)).toBeUndefined();
  });

  it('falls back to the Retry-After seconds when there is no RetryInfo', () => {
    expect(retryDelayOf(parseGoogleError(503, '', {retryAfterSeconds: 3}))).toBe(3000);
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [400, false], [401, false], [403, false], [404, false], [409, false],
    [429, true], [499, true], [500, true], [501, false], [502, true], [503, true], [504, true],
    ['RESOURCE_EXHAUSTED', true], ['UNAVAILABLE', true], ['DEADLINE_EXCEEDED', true], ['INTERNAL', true],
    ['INVALID_ARGUMENT', false], ['FAILED_PRECONDITION', false], ['NOT_FOUND', false], ['PERMISSION_DENIED', false],
  ] as const)('answers %s → %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('error codes by HTTP status', () => {
  it.each([
    [400, 'upstream-rejected'],
    [404, 'upstream-rejected'],
    [429, 'upstream-rate-limited'],
    [500, 'upstream-unavailable'],
    [503, 'upstream-unavailable'],
    [504, 'upstream-unavailable'],
  ] as const)('gives %i the code %s', (httpStatus, code) => {
    expect(parseGoogleError(httpStatus, {}).code).toBe(code);
  });
});
