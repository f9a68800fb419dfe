// Thousands of generated and mutated calls against the gate edge over real HTTP: whatever arrives,
// the answer is a 2xx or a 4xx, every error is Google's envelope, and nothing internal leaks.
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {aNasJobDraft} from '../factories.js';
import {mutated} from '../unit/core/vertex/json-mutations.js';
import {
  envelopeProblems, googleToken, hs256Token, strangerKey, startEdgeServer, tamperedToken, unsignedToken, type EdgeServer, type RawRequest,
} from './gate-edge.support.js';

const RUNS = Number(process.env.NASMON_EDGE_PROPERTY_RUNS ?? 2000);
const validBody = JSON.parse(JSON.stringify(aNasJobDraft())) as Record<string, unknown>;
const PARENT = '/v1/projects/demo-nasmon/locations/us-central1';

// Printable ASCII only: Node's client refuses anything else in a path or header before sending.
const ascii = (maxLength: number) => fc.string({unit: fc.integer({min: 0x21, max: 0x7e}).map(c => String.fromCharCode(c)), maxLength});

const segment = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom('v1', 'projects', 'demo-nasmon', '123456789012', 'locations', 'us-central1', 'nasJobs', '42', '42:cancel')},
  {weight: 2, arbitrary: fc.constantFrom('..', '.', '', '%2F', '%2f..%2f', '%2E%2E', '%zz', '%', '\\', '0', '-1', 'abc', '42:pause', 'nasJobs:x')},
  {weight: 1, arbitrary: ascii(12).filter(s => !s.includes('/') && !s.includes('?') && !s.includes('#'))},
);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?validateOnly=true', '?validateOnly=maybe', '?requestId=run-1', '?requestId=UP', '?pageSize=5', '?pageSize=-1',
    '?pageToken=abc', '?filter=state%3D%22JOB_STATE_RUNNING%22', '?filter=a%20OR%20b', '?x=1', '?pageSize=1&pageSize=2', '?a[b]=c', '?%zz'),
  ascii(20).map(q => `?${q.replace(/#/g, '')}`),
);
const path = fc.oneof(
  {weight: 3, arbitrary: fc.constantFrom(`${PARENT}/nasJobs`, `${PARENT}/nasJobs/42`, `${PARENT}/nasJobs/42:cancel`)},
  {weight: 2, arbitrary: fc.array(segment, {maxLength: 9}).map(segments => `/${segments.join('/')}`)},
).chain(p => query.map(q => `${p}${q}`));

// Valid tokens dominate, so most calls get past authentication into routing and body validation.
const token = fc.oneof(
  fc.constant(undefined),
  {weight: 8, arbitrary: fc.constant('valid').map(() => `Bearer ${googleToken()}`)},
  fc.constantFrom('expired', 'aud', 'iss', 'email', 'stranger', 'tampered', 'none', 'hs256', 'far').map(kind => `Bearer ${badToken(kind)}`),
  fc.tuple(fc.nat(), fc.constantFrom('flip', 'cut', 'swap')).map(([n, how]) => `Bearer ${damage(googleToken(), n, how)}`),
  fc.constantFrom('Basic YTpi', 'Bearer', 'Bearer  x', 'bearer x.y.z', 'Token abc'),
  ascii(40),
);

const body = fc.oneof(
  {weight: 3, arbitrary: fc.constant(JSON.stringify(validBody))},
  {weight: 4, arbitrary: mutated(validBody).map(v => JSON.stringify(v) ?? '')},
  {weight: 2, arbitrary: fc.jsonValue({maxDepth: 3}).map(v => JSON.stringify(v))},
  {weight: 2, arbitrary: fc.constantFrom('{', '{"a":}', '[1,', 'nul', '"x"', '1', '{}', '', '\u0000', '{"displayName": "x" "y"}')},
  {weight: 1, arbitrary: fc.string({maxLength: 60})},
  {weight: 1, arbitrary: fc.constant(undefined)},
);

const contentType = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8')},
  {weight: 2, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1',
    'application/cloudevents+json', 'multipart/form-data', '*/*')},
);

const call: fc.Arbitrary<RawRequest> = fc
  .record({
    method: fc.oneof({weight: 4, arbitrary: fc.constant('POST')}, {weight: 3, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS')}),
    path, token, body, contentType,
    gzip: fc.oneof({weight: 29, arbitrary: fc.constant(false)}, {weight: 1, arbitrary: fc.constant(true)}),
  })
  .map(({method, path: p, token: t, body: b, contentType: ct, gzip}) => ({
    method, path: p,
    headers: {...(t === undefined ? {} : {authorization: t}), ...(ct === undefined ? {} : {'content-type': ct}), ...(gzip ? {'content-encoding': 'gzip'} : {})},
    ...(b === undefined ? {} : {body: b}),
  }));

let server: EdgeServer;
beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => server?.close());

describe('the gate edge (properties over HTTP)', () => {
  it(`answers ${RUNS} generated calls with a 2xx or a 4xx, errors always in the envelope`, async () => {
    await fc.assert(
      fc.asyncProperty(call, async request => {
        const response = await server.send(request);
        const context = `${request.method} ${request.path} -> ${response.status} ${response.text.slice(0, 300)}`;
        expect(response.status, context).toBeGreaterThanOrEqual(200);
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 400) expect(envelopeProblems(response), context).toEqual([]);
        const sentToken = request.headers?.authorization?.split(' ')[1];
        if (sentToken && sentToken.length > 20) expect(response.text).not.toContain(sentToken);
      }),
      {numRuns: RUNS},
    );
  }, 300_000);
});

function badToken(kind: string): string {
  const now = Math.floor(Date.now() / 1000);
  switch (kind) {
    case 'expired': return googleToken({iat: now - 7200, exp: now - 3600});
    case 'aud': return googleToken({aud: 'https://elsewhere.example'});
    case 'iss': return googleToken({iss: 'https://nasmon.local/issuer'});
    case 'email': return googleToken({email: undefined});
    case 'stranger': return googleToken({}, strangerKey);
    case 'tampered': return tamperedToken();
    case 'none': return unsignedToken();
    case 'hs256': return hs256Token();
    default: return googleToken({exp: now + 7 * 86400});
  }
}

function damage(token: string, n: number, how: string): string {
  const at = n % token.length;
  if (how === 'cut') return token.slice(0, at);
  if (how === 'swap') return token.split('.').reverse().join('.');
  const c = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${c}${token.slice(at + 1)}`;
}
