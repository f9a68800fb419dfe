import {describe, expect, it} from 'vitest';
import {gateErrorFromVertex, toErrorEnvelope} from '../../../../shared/core/gate/error-envelope.js';
import {
  failedPrecondition, invalidArgument, permissionDenied, policyDenied, resourceExhausted, unauthenticated,
} from '../../../../shared/core/gate/gate-errors.js';
import {parseGoogleError} from '../../../../shared/core/vertex/parse-google-error.js';

const RPC = 'type.googleapis.com/google.rpc.';

describe('toErrorEnvelope', () => {
  it('builds the AIP-193 envelope with BadRequest field violations', () => {
    expect(toErrorEnvelope(invalidArgument('bad body', [{field: 'displayName', description: 'required field is missing'}], 'INVALID_NAS_JOB'))).toEqual({
      error: {
        code: 400, status: 'INVALID_ARGUMENT', message: 'bad body',
        details: [
          {'@type': `${RPC}ErrorInfo`, reason: 'INVALID_NAS_JOB', domain: 'nasmon', metadata: {}},
          {'@type': `${RPC}BadRequest`, fieldViolations: [{field: 'displayName', description: 'required field is missing'}]},
        ],
      },
    });
  });

  it('names the denying rule in ErrorInfo for a 403', () => {
    expect(toErrorEnvelope(permissionDenied('denied by allowed-regions', 'POLICY_DENIED', {rule: 'allowed-regions'})).error).toMatchObject({
      code: 403, status: 'PERMISSION_DENIED',
      details: [{'@type': `${RPC}ErrorInfo`, reason: 'POLICY_DENIED', domain: 'nasmon', metadata: {rule: 'allowed-regions'}}],
    });
  });

  it('turns a policy verdict into a 403 naming every rule and field', () => {
    const error = policyDenied([
      {rule: 'max-trials', field: 'nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.maxTrialCount', message: '5000 > 1000'},
      {rule: 'allowed-regions', field: 'location', message: 'asia-east1 is not allowed'},
    ]);
    expect(toErrorEnvelope(error).error).toEqual({
      code: 403, status: 'PERMISSION_DENIED',
      message: 'denied by policy: max-trials: 5000 > 1000; allowed-regions: asia-east1 is not allowed',
      details: [
        {'@type': `${RPC}ErrorInfo`, reason: 'POLICY_DENIED', domain: 'nasmon', metadata: {rule: 'max-trials', rules: 'max-trials,allowed-regions'}},
        {'@type': `${RPC}BadRequest`, fieldViolations: [
          {field: 'nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.maxTrialCount', description: 'max-trials: 5000 > 1000'},
          {field: 'location', description: 'allowed-regions: asia-east1 is not allowed'},
        ]},
      ],
    });
  });

  it('adds PreconditionFailure for FAILED_PRECONDITION', () => {
    const error = failedPrecondition('job already finished', [{type: 'STATE', subject: 'nasJobs/1', description: 'JOB_STATE_SUCCEEDED'}]);
    expect(toErrorEnvelope(error).error.details[1]).toEqual({
      '@type': `${RPC}PreconditionFailure`, violations: [{type: 'STATE', subject: 'nasJobs/1', description: 'JOB_STATE_SUCCEEDED'}],
    });
  });

  it('adds RetryInfo and Retry-After for a 429', () => {
    const error = resourceExhausted('slow down', 1.5);
    expect(error.headers['Retry-After']).toBe('2');
    expect(toErrorEnvelope(error).error.details[1]).toEqual({'@type': `${RPC}RetryInfo`, retryDelay: '1.5s'});
  });

  it('challenges with WWW-Authenticate on a 401', () => {
    expect(unauthenticated('TOKEN_EXPIRED', 'expired').headers).toEqual({'WWW-Authenticate': 'Bearer realm="nasmon", error="invalid_token"'});
  });
});

describe('gateErrorFromVertex', () => {
  const quotaBody = {
    error: {
      code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for aiplatform.googleapis.com/nas_job_requests',
      details: [
        {'@type': `${RPC}ErrorInfo`, reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: {service: 'aiplatform.googleapis.com'}},
        {'@type': `${RPC}RetryInfo`, retryDelay: '30s'},
        {'@type': `${RPC}QuotaFailure`, violations: [{subject: 'project:1', description: 'per minute'}]},
        {'@type': `${RPC}Help`, links: [{description: 'quotas', url: 'https://cloud.google.com/vertex-ai/quotas'}]},
      ],
    },
  };

  it('passes Vertex status, message and details through faithfully', () => {
    const error = gateErrorFromVertex(parseGoogleError(429, quotaBody));
    expect(toErrorEnvelope(error)).toEqual(quotaBody);
    expect(error.headers['Retry-After']).toBe('30');
  });

  it('turns a Retry-After header into RetryInfo', () => {
    const error = gateErrorFromVertex(parseGoogleError(503, {error: {code: 503, status: 'UNAVAILABLE', message: 'try later'}}, {retryAfterSeconds: 7}));
    expect(toErrorEnvelope(error).error).toEqual({code: 503, status: 'UNAVAILABLE', message: 'try later', details: [{'@type': `${RPC}RetryInfo`, retryDelay: '7s'}]});
  });

  it('drops DebugInfo, which carries server stack entries', () => {
    const body = {error: {code: 500, status: 'INTERNAL', message: 'oops', details: [{'@type': `${RPC}DebugInfo`, stackEntries: ['at x.java:1']}]}};
    expect(toErrorEnvelope(gateErrorFromVertex(parseGoogleError(500, body))).error.details).toEqual([]);
  });

  it('keeps a 404 as sent', () => {
    const error = gateErrorFromVertex(parseGoogleError(404, {error: {code: 404, status: 'NOT_FOUND', message: 'NasJob 1 not found'}}));
    expect([error.httpStatus, error.status, error.message]).toEqual([404, 'NOT_FOUND', 'NasJob 1 not found']);
  });

  it("answers 500, not 401, when Vertex refuses nasmon's own credentials", () => {
    const error = gateErrorFromVertex(parseGoogleError(401, {error: {code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.'}}));
    expect([error.httpStatus, error.status, error.message]).toEqual([500, 'INTERNAL', 'nasmon could not authenticate to Vertex AI']);
  });
});
