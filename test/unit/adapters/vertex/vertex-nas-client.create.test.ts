import {describe, expect, it} from 'vitest';
import {aGoogleErrorBody, aNasJobDraft, aNasJobJson, vertexFixture} from '../../../factories.js';
import {fakeFetch, hang, reply, reset, truncated, type Reply, type SeenRequest} from './fake-fetch.js';
import {testClient} from './fake-fetch.js';

const PARENT = 'projects/p/locations/us-central1';
const created = (requestId: string, id = '77') =>
  aNasJobJson({name: `${PARENT}/nasJobs/${id}`, state: 'JOB_STATE_PENDING', labels: {team: 'vision', request_id: requestId}});

/** A fake Vertex for creates: POSTs get `posts[i]`, lists by label get `lists[i]` (default: nothing found). */
function vertex(posts: Reply[], lists: unknown[][] = []) {
  let post = 0;
  let list = 0;
  const fetch = fakeFetch((request: SeenRequest) => {
    if (request.method === 'POST') return posts[Math.min(post++, posts.length - 1)]!;
    return reply(200, {nasJobs: lists[list++] ?? []});
  });
  const calls = () => fetch.requests.map(r => (r.method === 'POST' ? 'create' : `list ${r.url.searchParams.get('filter')}`));
  return {fetch, calls};
}

describe('createNasJob', () => {
  it('posts the draft with a generated request_id label and returns the created job', async () => {
    const {fetch} = vertex([reply(200, created('req-1'))]);
    const {client} = testClient(fetch, {newRequestId: () => 'req-1'});

    const job = await client.createNasJob(PARENT, aNasJobDraft());

    expect(job).toMatchObject({name: `${PARENT}/nasJobs/77`, state: 'JOB_STATE_PENDING'});
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.url.pathname).toBe(`/v1/${PARENT}/nasJobs`);
    expect(fetch.requests[0]?.body).toEqual({...JSON.parse(JSON.stringify(aNasJobDraft())), labels: {team: 'vision', request_id: 'req-1'}});
  });

  it('sends only the writable fields even when given a whole job', async () => {
    const {fetch} = vertex([reply(200, created('r'))]);
    const {client} = testClient(fetch, {newRequestId: () => 'r'});
    const whole = {...aNasJobDraft(), name: 'projects/x/locations/y/nasJobs/1', state: 'JOB_STATE_RUNNING', createTime: '2025-01-01T00:00:00Z'};

    await client.createNasJob(PARENT, whole);

    expect(Object.keys(fetch.requests[0]?.body as object).sort()).toEqual(['displayName', 'labels', 'nasJobSpec']);
  });

  it.each([
    ['a 503', reply(503, vertexFixture('error-503.json'))],
    ['a 500', reply(500, aGoogleErrorBody(500, 'INTERNAL'))],
    ['a 504', reply(504, aGoogleErrorBody(504, 'DEADLINE_EXCEEDED'))],
    ['a reset connection', reset],
    ['a truncated 200 body (created, response lost)', truncated(200)],
    ['a timeout', hang],
  ] as [string, Reply][])('after %s, finds the job by its request_id label instead of creating it again', async (_, failure) => {
    const {fetch, calls} = vertex([failure], [[created('req-1')]]);
    const {client} = testClient(fetch, {newRequestId: () => 'req-1', timeoutMs: 20});

    const job = await client.createNasJob(PARENT, aNasJobDraft());

    expect(job.name).toBe(`${PARENT}/nasJobs/77`);
    expect(calls()).toEqual(['create', 'list labels.request_id="req-1"']);
  });

  it('creates again, with the same request_id, only when the lookup finds nothing', async () => {
    const {fetch, calls} = vertex([reply(503, vertexFixture('error-503.json')), reply(200, created('req-1'))]);
    const {client, sleeps} = testClient(fetch, {newRequestId: () => 'req-1'});

    await client.createNasJob(PARENT, aNasJobDraft());

    expect(calls()).toEqual(['create', 'list labels.request_id="req-1"', 'create']);
    expect(fetch.requests.filter(r => r.method === 'POST').map(r => (r.body as {labels: object}).labels)).toEqual([
      {team: 'vision', request_id: 'req-1'},
      {team: 'vision', request_id: 'req-1'},
    ]);
    expect(sleeps).toEqual([250]);
  });

  it.each([
    ['a timeout', 10_000, hang],
    ['a reset connection', 10_000, reset],
    ['a 503 (the server has finished with the request)', 250, reply(503, vertexFixture('error-503.json'))],
    ['a truncated 2xx (the server has finished with the request)', 250, truncated(200)],
  ] as [string, number, Reply][])('after %s, waits %i ms before looking', async (_, wait, failure) => {
    const {fetch} = vertex([failure], [[created('r')]]);
    const {client, sleeps} = testClient(fetch, {newRequestId: () => 'r', timeoutMs: 20});

    await client.createNasJob(PARENT, aNasJobDraft());

    expect(sleeps).toEqual([wait]);
  });

  it('returns the oldest job if the label matches several', async () => {
    const older = {...created('r', '1'), createTime: '2025-07-20T09:00:00Z'};
    const newer = {...created('r', '2'), createTime: '2025-07-20T10:00:00Z'};
    const {fetch} = vertex([reset], [[newer, older]]);
    const {client} = testClient(fetch, {newRequestId: () => 'r'});

    await expect(client.createNasJob(PARENT, aNasJobDraft())).resolves.toMatchObject({name: `${PARENT}/nasJobs/1`});
  });

  it.each([
    ['400 INVALID_ARGUMENT', reply(400, vertexFixture('error-400-bad-request.json')), 'upstream-rejected'],
    ['429 accelerator quota', reply(429, vertexFixture('error-429-accelerator.json')), 'upstream-rejected'],
    ['429 request rate', reply(429, vertexFixture('error-429-rate.json')), 'upstream-rate-limited'],
    ['403 PERMISSION_DENIED', reply(403, aGoogleErrorBody(403, 'PERMISSION_DENIED')), 'upstream-rejected'],
  ] as [string, Reply, string][])('surfaces %s at once: no retry, no lookup', async (_, failure, code) => {
    const {fetch, calls} = vertex([failure, reply(200, created('r'))]);
    const {client} = testClient(fetch, {newRequestId: () => 'r'});

    await expect(client.createNasJob(PARENT, aNasJobDraft())).rejects.toMatchObject({name: 'VertexApiError', code});
    expect(calls()).toEqual(['create']);
  });

  it('gives up after maxAttempts creates, looking before each re-create', async () => {
    const {fetch, calls} = vertex([reply(503, vertexFixture('error-503.json'))]);
    const {client} = testClient(fetch, {newRequestId: () => 'r', retry: {maxAttempts: 3}});

    await expect(client.createNasJob(PARENT, aNasJobDraft())).rejects.toMatchObject({httpStatus: 503});
    expect(calls()).toEqual(['create', 'list labels.request_id="r"', 'create', 'list labels.request_id="r"', 'create']);
  });

  it('looks first when the caller gives a request ID, so a caller retry never duplicates', async () => {
    const {fetch, calls} = vertex([reply(200, created('caller-key'))], [[created('caller-key')]]);
    const {client} = testClient(fetch);

    const job = await client.createNasJob(PARENT, aNasJobDraft(), {requestId: 'caller-key'});

    expect(job.labels['request_id']).toBe('caller-key');
    expect(calls()).toEqual(['list labels.request_id="caller-key"']);
  });

  it('uses a request_id label already on the draft as the caller’s key', async () => {
    const {fetch, calls} = vertex([reply(200, created('from-label'))]);
    const {client} = testClient(fetch);

    await client.createNasJob(PARENT, aNasJobDraft({labels: {request_id: 'from-label'}}));

    expect(calls()).toEqual(['list labels.request_id="from-label"', 'create']);
  });

  it.each(['Has-Upper', 'x'.repeat(64), 'a"b', ''])('rejects the request ID %j as invalid-argument', async requestId => {
    const {fetch} = vertex([reply(200, created('r'))]);
    const {client} = testClient(fetch);

    await expect(client.createNasJob(PARENT, aNasJobDraft(), {requestId})).rejects.toMatchObject({code: 'invalid-argument'});
    expect(fetch.requests).toHaveLength(0);
  });
});
