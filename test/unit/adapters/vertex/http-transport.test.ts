import {OAuth2Client} from 'google-auth-library';
import {describe, expect, it} from 'vitest';
import {parseRetryAfter, sendVertexRequest, type HttpTransport} from '../../../../shared/adapters/vertex/http-transport.js';
import {VertexTransportError} from '../../../../shared/adapters/vertex/transport-error.js';
import {VertexApiError} from '../../../../shared/core/vertex/vertex-api-error.js';
import {NasmonError} from '../../../../shared/errors.js';
import {vertexFixture} from '../../../factories.js';
import {hang, reply, reset, scriptedFetch, truncated, type Reply} from './fake-fetch.js';

const URL_ = 'http://127.0.0.1:9/v1/projects/p/locations/l/nasJobs/1';

function transport(r: Reply, overrides: Partial<HttpTransport> = {}) {
  const fetch = scriptedFetch(r);
  return {fetch, t: {fetch, auth: {getAccessToken: async () => 'tok'}, timeoutMs: 1000, now: () => 0, ...overrides}};
}

describe('sendVertexRequest', () => {
  it('sends the bearer token and JSON headers, and a JSON body when there is one', async () => {
    const {fetch, t} = transport(reply(200, {ok: true}));

    await expect(sendVertexRequest({method: 'POST', url: URL_, body: {a: 1}}, t)).resolves.toEqual({ok: true});
    expect(fetch.requests[0]).toMatchObject({
      method: 'POST',
      headers: {authorization: 'Bearer tok', accept: 'application/json', 'content-type': 'application/json'},
      body: {a: 1},
    });
  });

  it('uses the token of an OAuth2Client with fixed credentials', async () => {
    const auth = new OAuth2Client();
    auth.setCredentials({access_token: 'fixed-test-token', expiry_date: Date.now() + 3600e3});
    const {fetch, t} = transport(reply(200), {auth});

    await sendVertexRequest({method: 'GET', url: URL_}, t);
    expect(fetch.requests[0]?.headers['authorization']).toBe('Bearer fixed-test-token');
  });

  it('reads an empty 2xx body as an empty message', async () => {
    const {t} = transport(reply(200, ''));
    await expect(sendVertexRequest({method: 'POST', url: URL_}, t)).resolves.toEqual({});
  });

  it.each([
    ['hangs past the timeout', hang, 'timeout'],
    ['resets the connection', reset, 'network'],
    ['breaks off mid-body', truncated(), 'truncated'],
    ['sends half a JSON document', reply(200, '{"name": "projects/p/loc'), 'malformed-body'],
    ['sends HTML with a 200', reply(200, '<html></html>'), 'malformed-body'],
  ] as const)('throws a retryable VertexTransportError when the server %s', async (_, r, failure) => {
    const {t} = transport(r, {timeoutMs: 20});
    const error = await sendVertexRequest({method: 'GET', url: URL_}, t).catch(e => e);

    expect(error).toBeInstanceOf(VertexTransportError);
    expect(error).toMatchObject({failure, code: 'upstream-unavailable', retryable: true});
  });

  it('still reports the HTTP status of an error response whose body broke off', async () => {
    const {t} = transport(truncated(503));
    await expect(sendVertexRequest({method: 'GET', url: URL_}, t)).rejects.toMatchObject({name: 'VertexApiError', httpStatus: 503, status: 'UNAVAILABLE'});
  });

  it('turns an error envelope into a VertexApiError with the Retry-After header', async () => {
    const {t} = transport(reply(429, vertexFixture('error-429-accelerator.json'), {'retry-after': '12'}));
    const error = await sendVertexRequest({method: 'POST', url: URL_}, t).catch(e => e);

    expect(error).toBeInstanceOf(VertexApiError);
    expect(error).toMatchObject({httpStatus: 429, status: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 12});
  });

  it('wraps a failing auth client instead of sending an unauthenticated request', async () => {
    const {fetch, t} = transport(reply(200), {auth: {getAccessToken: () => Promise.reject(new Error('Could not load the default credentials'))}});
    const error: unknown = await sendVertexRequest({method: 'GET', url: URL_}, t).catch(e => e);

    expect(error).toBeInstanceOf(NasmonError);
    expect((error as NasmonError).message).toContain('Could not load the default credentials');
    expect(fetch.requests).toHaveLength(0);
  });

  it.each([null, undefined, '', {token: null}])('refuses an empty token (%j)', async token => {
    const {t} = transport(reply(200), {auth: {getAccessToken: async () => token}});
    await expect(sendVertexRequest({method: 'GET', url: URL_}, t)).rejects.toThrow('no access token');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 6, 20, 10, 0, 0);
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['Sun, 20 Jul 2025 10:00:30 GMT', 30],
    ['Sun, 20 Jul 2025 09:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('reads %j as %s seconds', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});
