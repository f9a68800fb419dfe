// Who may look: the dashboard in google mode, with IAP's keys and Google's certificates stubbed
// (no network), behind the functions framework. Every path is guarded, the page included.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createIapVerifier} from '../../../../shared/adapters/auth/iap-verifier.js';
import {createDashboardAuthenticator} from '../../../../shared/adapters/dashboard/dashboard-auth.js';
import {aDashboardJob} from '../../core/dashboard/dashboard-kit.js';
import {examplePolicy} from '../../core/policy/support.js';
import {googleToken, stubbedGoogleVerifier} from '../auth/token-kit.js';
import {fakeDeps, GOOGLE, serveDashboard} from './dashboard-fakes.js';
import {IAP_AUDIENCE, IAP_KEYS, iapAssertion} from './iap-kit.js';

// The example policy: bob@example.com is in team vision; alice@example.com is an admin.
const vision = aDashboardJob();
const nlp = aDashboardJob({name: 'projects/1/locations/us-central1/nasJobs/2', labels: {team: 'nlp'}});
const verifiers = {iap: createIapVerifier({audiences: [IAP_AUDIENCE], keys: async () => IAP_KEYS}), idToken: stubbedGoogleVerifier()};
const iap = (email: string) => ({'x-goog-iap-jwt-assertion': iapAssertion({email})});
const bearer = (email: string) => ({authorization: `Bearer ${googleToken({email})}`});

describe('dashboard authentication (google mode)', () => {
  let server: Awaited<ReturnType<typeof serveDashboard>>;
  beforeAll(async () => {
    server = await serveDashboard('dashboardAuthUnderTest', GOOGLE, async () => fakeDeps([vision, nlp], examplePolicy()), verifiers);
  });
  afterAll(() => server?.close());

  it.each<[string, string, Record<string, string>, number, string | undefined]>([
    ['the page without credentials', '/', {}, 401, 'MISSING_IAP_ASSERTION'],
    ['the API without credentials', '/api/jobs', {}, 401, 'MISSING_IAP_ASSERTION'],
    ['a forged IAP header', '/api/jobs', {'x-goog-iap-jwt-assertion': `${iapAssertion().slice(0, -4)}AAAA`}, 401, 'INVALID_SIGNATURE'],
    ['a bad IAP header with a good token: IAP\'s header alone decides', '/api/jobs',
      {'x-goog-iap-jwt-assertion': 'garbage', ...bearer('alice@example.com')}, 401, 'MALFORMED_IAP_ASSERTION'],
    ['a token for another audience', '/api/jobs', {authorization: `Bearer ${googleToken({aud: 'https://elsewhere'})}`}, 401, 'WRONG_AUDIENCE'],
    ['the page through IAP', '/', iap('bob@example.com'), 200, undefined],
    ['the API with a Google ID token', '/api/jobs', bearer('bob@example.com'), 200, undefined],
  ])('answers %s', async (_, path, headers, status, reason) => {
    const response = await server.get(path, headers);
    const body = await response.text();

    expect(response.status).toBe(status);
    if (reason) expect((JSON.parse(body) as {error: {details: Array<{reason: string}>}}).error.details[0]!.reason).toBe(reason);
  });

  it.each([
    ['a team member sees their team\'s jobs', 'bob@example.com', ['vision']],
    ['an admin sees every job', 'alice@example.com', ['vision', 'nlp']],
    ['a verified stranger sees none', 'mallory@evil.example', []],
  ])('%s', async (_, email, teams) => {
    const body = await (await server.get('/api/jobs', iap(email))).json() as {viewer: string; jobs: Array<{team: string}>};

    expect(body.viewer).toBe(email);
    expect(body.jobs.map(job => job.team)).toEqual(teams);
  });

  it('refuses a job the viewer may not get with 403', async () => {
    expect((await server.get(`/api/jobs/${nlp.id}`, iap('bob@example.com'))).status).toBe(403);
    expect((await server.get(`/api/jobs/${nlp.id}`, iap('alice@example.com'))).status).toBe(200);
  });
});

describe('createDashboardAuthenticator', () => {
  it('lets everyone in, as nobody, when open', async () => {
    await expect(createDashboardAuthenticator({...GOOGLE, mode: 'none'})({})).resolves.toBeUndefined();
  });

  it('takes ID tokens alone when no IAP audience is set', async () => {
    const authenticate = createDashboardAuthenticator({...GOOGLE, iapAudiences: []}, {idToken: verifiers.idToken});

    await expect(authenticate(bearer('bob@example.com'))).resolves.toMatchObject({email: 'bob@example.com'});
    await expect(authenticate({})).rejects.toMatchObject({httpStatus: 401});
  });
});
