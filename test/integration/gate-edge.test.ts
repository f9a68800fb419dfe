// The gate's edge over real HTTP through functions-framework: every bad input gets a 4xx in Google's
// error envelope with a clear message, never a 5xx, an HTML page or a stack trace.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {aNasJobDraft} from '../factories.js';
import {
  bearer, EMAIL, envelopeProblems, errorOf, googleToken, hs256Token, LIMITED_FUNCTION_NAME, SLOW_FUNCTION_NAME, startEdgeServer, strangerKey,
  tamperedToken, unsignedToken, type EdgeServer, type RawRequest,
} from './gate-edge.support.js';

const JOBS = '/v1/projects/demo-nasmon/locations/us-central1/nasJobs';
const JOB = `${JOBS}/1234567890123456789`;
const json = {'content-type': 'application/json'};
const auth = () => bearer(googleToken());
const validBody = () => JSON.parse(JSON.stringify(aNasJobDraft())) as Record<string, unknown>;
const create = (body: unknown, headers: Record<string, string> = {}): RawRequest => ({
  method: 'POST', path: JOBS, headers: {...auth(), ...json, ...headers}, body: typeof body === 'string' ? body : JSON.stringify(body),
});
const nowS = () => Math.floor(Date.now() / 1000);

let server: EdgeServer;
beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => server?.close());

describe('the gate edge, accepting', () => {
  it('answers 200 with the caller and the parsed create', async () => {
    const response = await server.send({...create(validBody()), path: `${JOBS}?validateOnly=true&requestId=run-7`});
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      caller: {email: EMAIL, subject: expect.any(String), issuer: 'https://accounts.google.com'},
      request: {
        action: 'create', project: 'demo-nasmon', location: 'us-central1', parent: 'projects/demo-nasmon/locations/us-central1',
        validateOnly: true, requestId: 'run-7', body: validBody(),
      },
    });
  });

  it('answers 200 for list, get, cancel and delete', async () => {
    const calls: RawRequest[] = [
      {path: `${JOBS}?pageSize=10&filter=${encodeURIComponent('state="JOB_STATE_RUNNING"')}`},
      {path: JOB}, {method: 'POST', path: `${JOB}:cancel`}, {method: 'POST', path: `${JOB}:cancel`, headers: json, body: '{}'},
      {method: 'DELETE', path: JOB},
    ];
    for (const call of calls) {
      const response = await server.send({...call, headers: {...auth(), ...call.headers}});
      expect(response.status, `${call.method ?? 'GET'} ${call.path}: ${response.text}`).toBe(200);
    }
  });
});

type Case = [label: string, request: () => RawRequest, status: number, message: RegExp];

const authCases: Case[] = [
  ['a missing token', () => ({path: JOB}), 401, /missing Authorization header/],
  ['an expired token', () => ({path: JOB, headers: bearer(googleToken({iat: nowS() - 7200, exp: nowS() - 3600}))}), 401, /expired/],
  ['a wrong audience', () => ({path: JOB, headers: bearer(googleToken({aud: 'https://other.example'}))}), 401, /audience/],
  ['a wrong issuer', () => ({path: JOB, headers: bearer(googleToken({iss: 'https://evil.example'}))}), 401, /issuer/],
  ['a tampered token', () => ({path: JOB, headers: bearer(tamperedToken())}), 401, /signature is not valid/],
  ['alg none', () => ({path: JOB, headers: bearer(unsignedToken())}), 401, /none are not accepted/],
  ['HS256', () => ({path: JOB, headers: bearer(hs256Token())}), 401, /HS256 are not accepted/],
  ['an unknown key', () => ({path: JOB, headers: bearer(googleToken({}, strangerKey))}), 401, /key the gate does not know/],
  ['a Basic header', () => ({path: JOB, headers: {authorization: 'Basic YTpi'}}), 401, /Bearer/],
];

const bodyCases: Case[] = [
  ['malformed JSON', () => create('{"displayName": '), 400, /not valid JSON/],
  ['a JSON string body', () => create('"just a string"'), 400, /not valid JSON/],
  ['a JSON array body', () => create([1]), 400, /must be a JSON object/],
  ['a wrong content type', () => create(validBody(), {'content-type': 'text/plain'}), 415, /must be application\/json, not "text\/plain"/],
  ['a form body', () => create('displayName=x', {'content-type': 'application/x-www-form-urlencoded'}), 415, /application\/json/],
  ['a body without content type', () => ({method: 'POST', path: JOBS, headers: auth(), body: JSON.stringify(validBody())}), 415, /needs "Content-Type: application\/json"/],
  ['a Latin-1 body', () => create(validBody(), {'content-type': 'application/json; charset=latin1'}), 415, /only UTF-8/],
  ['a gzip body', () => create(validBody(), {'content-encoding': 'gzip'}), 415, /compressed bodies are not accepted/],
  ['a body over 1 MiB', () => create({...validBody(), searchSpace: 'x'.repeat(1_100_000)}), 413, /larger than the limit of 1048576 bytes/],
  ['a chunked body over 1 MiB', () => ({...create({...validBody(), pad: 'x'.repeat(1_100_000)}), chunked: true}), 413, /larger than the limit/],
  ['an unknown field', () => create({...validBody(), displayNmae: 'x'}), 400, /unknown field "displayNmae" \(did you mean "displayName"\?\)/],
  ['an output-only field', () => create({...validBody(), state: 'JOB_STATE_RUNNING'}), 400, /"state" is output only/],
  ['a wrong type', () => create({...validBody(), displayName: 42}), 400, /displayName: expected a string, got 42/],
  ['an out-of-range value', () => create(withSearch({maxTrialCount: -5})), 400, /maxTrialCount: must be at least 1, got -5/],
  ['oversized labels', () => create({...validBody(), labels: {team: 'v'.repeat(64)}}), 400, /at most 63 characters long, got 64/],
  ['too many labels', () => create({...validBody(), labels: Object.fromEntries(Array.from({length: 65}, (_, i) => [`k${i}`, 'v']))}), 400, /at most 64 labels/],
  ['a body on get', () => ({path: JOB, headers: {...auth(), ...json}, body: '{}'}), 400, /get takes no request body/],
];

const pathCases: Case[] = [
  ['path traversal', () => ({path: '/v1/projects/demo-nasmon/locations/us-central1/../../x/nasJobs', headers: auth()}), 400, /path traversal/],
  ['an encoded slash', () => ({path: `${JOBS}/1%2F..%2F2`, headers: auth()}), 400, /encoded slashes/],
  ['an encoded dot-dot', () => ({path: `${JOBS}/%2e%2e`, headers: auth()}), 400, /percent-encoded characters/],
  ['a broken escape', () => ({path: `${JOBS}/%zz`, headers: auth()}), 400, /percent-encoded/],
  ['a double slash', () => ({path: '/v1/projects/demo-nasmon//locations/us-central1/nasJobs', headers: auth()}), 400, /double or trailing slashes/],
  ['an empty job ID', () => ({path: `${JOBS}/`, headers: auth()}), 400, /double or trailing slashes/],
  ['a non-numeric job ID', () => ({path: `${JOBS}/abc`, headers: auth()}), 400, /"abc" is not a NasJob ID/],
  ['a bad project', () => ({path: '/v1/projects/X/locations/us-central1/nasJobs', headers: auth()}), 400, /not a project ID/],
  ['an unknown path', () => ({path: '/v1/projects/demo-nasmon/locations/us-central1/customJobs', headers: auth()}), 404, /no such resource/],
  ['an unknown method', () => ({method: 'PUT', path: JOB, headers: auth()}), 405, /method PUT is not allowed here; use GET or DELETE/],
  ['an unknown query parameter', () => ({path: `${JOBS}?pageSise=3`, headers: auth()}), 400, /unknown query parameter/],
  ['a bad boolean', () => ({...create(validBody()), path: `${JOBS}?validateOnly=yes`}), 400, /must be true or false/],
  ['a bad request ID', () => ({...create(validBody()), path: `${JOBS}?requestId=Not%20OK`}), 400, /lowercase letters/],
  ['a bad filter', () => ({path: `${JOBS}?filter=a%20OR%20b`, headers: auth()}), 400, /OR is not supported/],
];

describe.each([
  ['authentication', authCases],
  ['bodies', bodyCases],
  ['paths and queries', pathCases],
])('the gate edge, refusing (%s)', (_, cases) => {
  it.each(cases)('%s', async (_, request, status, message) => {
    const response = await server.send(request());
    expect(response.status, response.text).toBe(status);
    expect(envelopeProblems(response)).toEqual([]);
    expect(errorOf(response).message).toMatch(message);
  });
});

describe('the gate edge, limits', () => {
  it('challenges a 401 with WWW-Authenticate and names its reason', async () => {
    const response = await server.send({path: JOB});
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nasmon", error="invalid_token"');
    expect(errorOf(response).details).toContainEqual(expect.objectContaining({reason: 'MISSING_TOKEN', domain: 'nasmon'}));
  });

  it('lists every body problem as a BadRequest field violation', async () => {
    const response = await server.send(create({...validBody(), name: 'x', displayName: '', colour: 1}));
    const badRequest = errorOf(response).details.find(d => String(d['@type']).endsWith('google.rpc.BadRequest'));
    expect(badRequest?.fieldViolations).toEqual([
      {field: 'displayName', description: 'required field is not set'},
      {field: 'name', description: expect.stringContaining('output only')},
      {field: 'colour', description: 'unknown field "colour"'},
    ]);
  });

  it('answers 429 with Retry-After and RetryInfo to a caller over its rate limit, and only to that caller', async () => {
    const limited = await startEdgeServer(LIMITED_FUNCTION_NAME);
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await limited.send({path: JOB, headers: auth()})).status);
      expect(statuses).toEqual([200, 200, 429]);
      const over = await limited.send({path: JOB, headers: auth()});
      expect(envelopeProblems(over)).toEqual([]);
      expect(errorOf(over).status).toBe('RESOURCE_EXHAUSTED');
      expect(errorOf(over).message).toBe(`${EMAIL} is over its rate limit of the gate; retry in 10 s`);
      expect(over.headers['retry-after']).toBe('10');
      expect(errorOf(over).details).toContainEqual(expect.objectContaining({'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '10s'}));
      const other = await limited.send({path: JOB, headers: bearer(googleToken({email: 'other@demo-nasmon.iam.gserviceaccount.com'}))});
      expect(other.status).toBe(200);
      expect((await limited.send({path: JOB})).status).toBe(401); // authentication comes first; nothing is counted for nobody
    } finally {
      await limited.close();
    }
  });

  it('answers 504 in the envelope when the logic overruns the time limit', async () => {
    const slow = await startEdgeServer(SLOW_FUNCTION_NAME);
    try {
      const response = await slow.send({path: JOB, headers: auth()});
      expect(response.status).toBe(504);
      expect(envelopeProblems(response)).toEqual([]);
      expect(errorOf(response).status).toBe('DEADLINE_EXCEEDED');
    } finally {
      await slow.close();
    }
  });
});

function withSearch(fields: Record<string, unknown>): Record<string, unknown> {
  const body = validBody() as {nasJobSpec: {multiTrialAlgorithmSpec: {searchTrialSpec: Record<string, unknown>}}};
  Object.assign(body.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec, fields);
  return body;
}
