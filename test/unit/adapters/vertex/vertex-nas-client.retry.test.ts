import {describe, expect, it} from 'vitest';
import {createRequestBudget} from '../../../../shared/adapters/vertex/request-budget.js';
import {aGoogleErrorBody, aNasJobJson, aRetryInfo, vertexFixture} from '../../../factories.js';
import {hang, reply, reset, scriptedFetch, testClient, truncated, type Reply} from './fake-fetch.js';

const JOB = 'projects/p/locations/us-central1/nasJobs/1';
const ok = reply(200, aNasJobJson({name: JOB}));
const error = (status: number, name: string, details: unknown[] = []) => reply(status, aGoogleErrorBody(status, name, 'm', details));

describe('read retries', () => {
  it.each([
    ['429 rate limit', error(429, 'RESOURCE_EXHAUSTED')],
    ['500', error(500, 'INTERNAL')],
    ['502 HTML page', reply(502, '<html>bad gateway</html>')],
    ['503', error(503, 'UNAVAILABLE')],
    ['504', error(504, 'DEADLINE_EXCEEDED')],
    ['a reset connection', reset],
    ['a truncated body', truncated()],
    ['a 200 with half a JSON body', reply(200, '{"name": "proj')],
    ['a timeout', hang],
  ] as [string, Reply][])('retries a get after %s and returns the job', async (_, failure) => {
    const fetch = scriptedFetch(failure, failure, ok);
    const {client, sleeps} = testClient(fetch, {timeoutMs: 20});

    await expect(client.getNasJob(JOB)).resolves.toMatchObject({name: JOB});
    expect(fetch.requests).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]); // full jitter at random=0.5 of 500 ms, then 1000 ms
  });

  it.each([
    ['400 INVALID_ARGUMENT', error(400, 'INVALID_ARGUMENT'), 'INVALID_ARGUMENT'],
    ['401 UNAUTHENTICATED', error(401, 'UNAUTHENTICATED'), 'UNAUTHENTICATED'],
    ['403 PERMISSION_DENIED', error(403, 'PERMISSION_DENIED'), 'PERMISSION_DENIED'],
    ['404 NOT_FOUND', reply(404, vertexFixture('error-404.json')), 'NOT_FOUND'],
    ['429 accelerator quota', reply(429, vertexFixture('error-429-accelerator.json')), 'RESOURCE_EXHAUSTED'],
  ] as [string, Reply, string][])('does not retry %s', async (_, failure, status) => {
    const fetch = scriptedFetch(failure, ok);
    const {client} = testClient(fetch);

    await expect(client.getNasJob(JOB)).rejects.toMatchObject({name: 'VertexApiError', status});
    expect(fetch.requests).toHaveLength(1);
  });

  it('waits the RetryInfo delay of a 429 instead of the shorter backoff', async () => {
    const fetch = scriptedFetch(error(429, 'RESOURCE_EXHAUSTED', [aRetryInfo(7.5)]), ok);
    const {client, sleeps} = testClient(fetch);

    await client.getNasJob(JOB);
    expect(sleeps).toEqual([7500]);
  });

  it('waits the Retry-After delay when there is no RetryInfo', async () => {
    const fetch = scriptedFetch(reply(503, aGoogleErrorBody(503, 'UNAVAILABLE'), {'retry-after': '3'}), ok);
    const {client, sleeps} = testClient(fetch);

    await client.getNasJob(JOB);
    expect(sleeps).toEqual([3000]);
  });

  it('surfaces a 429 whose retry delay is longer than the policy allows', async () => {
    const fetch = scriptedFetch(error(429, 'RESOURCE_EXHAUSTED', [aRetryInfo(600)]), ok);
    const {client} = testClient(fetch);

    await expect(client.getNasJob(JOB)).rejects.toMatchObject({code: 'upstream-rate-limited'});
    expect(fetch.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error, exponentially spaced', async () => {
    const fetch = scriptedFetch(error(503, 'UNAVAILABLE'));
    const {client, sleeps} = testClient(fetch, {retry: {maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250}, random: () => 0.999});

    await expect(client.getNasJob(JOB)).rejects.toMatchObject({httpStatus: 503, retryable: true});
    expect(fetch.requests).toHaveLength(4);
    expect(sleeps).toEqual([99, 199, 249]);
  });

  it('pauses the target in the budget when a 429 arrives, so the next call waits too', async () => {
    let t = 0;
    const budget = createRequestBudget({now: () => t, sleep: async ms => void (t += ms)});
    const fetch = scriptedFetch(error(429, 'RESOURCE_EXHAUSTED', [aRetryInfo(5)]), ok);
    const {client} = testClient(fetch, {budget, sleep: async () => {}});

    await client.getNasJob(JOB);

    expect(t).toBe(5000); // the retry's acquire slept through the pause
    expect(budget.tryAcquire({project: 'p', location: 'us-central1'}).granted).toBe(true);
  });
});

describe('cancel retries', () => {
  it.each([
    ['503', error(503, 'UNAVAILABLE')],
    ['504', error(504, 'DEADLINE_EXCEEDED')],
    ['a reset connection', reset],
    ['a rate-limit 429', error(429, 'RESOURCE_EXHAUSTED')],
  ] as [string, Reply][])('retries a cancel after %s', async (_, failure) => {
    const fetch = scriptedFetch(failure, reply(200, {}));
    const {client} = testClient(fetch);

    await expect(client.cancelNasJob(JOB)).resolves.toBeUndefined();
    expect(fetch.requests.map(r => [r.method, r.url.pathname])).toEqual([
      ['POST', `/v1/${JOB}:cancel`],
      ['POST', `/v1/${JOB}:cancel`],
    ]);
  });

  it.each([
    ['500', error(500, 'INTERNAL'), 'INTERNAL'],
    ['FAILED_PRECONDITION (already finished)', reply(400, vertexFixture('error-400-failed-precondition.json')), 'FAILED_PRECONDITION'],
  ] as [string, Reply, string][])('does not retry a cancel after %s', async (_, failure, status) => {
    const fetch = scriptedFetch(failure, reply(200, {}));
    const {client} = testClient(fetch);

    await expect(client.cancelNasJob(JOB)).rejects.toMatchObject({status});
    expect(fetch.requests).toHaveLength(1);
  });
});
