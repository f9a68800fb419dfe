import {describe, expect, it} from 'vitest';
import {ALREADY_DELETED} from '../../../../shared/adapters/vertex/delete-nas-job.js';
import {aDeleteOperationJson, aGoogleErrorBody, vertexFixture} from '../../../factories.js';
import {fakeFetch, reply, reset, scriptedFetch, testClient, type Reply} from './fake-fetch.js';

const JOB = 'projects/p/locations/us-central1/nasJobs/1';
const pending = vertexFixture('delete-operation-pending.json');
const OP = pending['name'] as string;

describe('deleteNasJob', () => {
  it('sends DELETE and returns the finished operation', async () => {
    const fetch = scriptedFetch(reply(200, aDeleteOperationJson()));
    const {client} = testClient(fetch);

    await expect(client.deleteNasJob(JOB)).resolves.toMatchObject({done: true, response: {'@type': 'type.googleapis.com/google.protobuf.Empty'}});
    expect(fetch.requests.map(r => [r.method, r.url.pathname])).toEqual([['DELETE', `/v1/${JOB}`]]);
  });

  it('returns a pending operation as is unless asked to wait', async () => {
    const {client} = testClient(scriptedFetch(reply(200, pending)));
    await expect(client.deleteNasJob(JOB)).resolves.toMatchObject({done: false});
  });

  it('with wait, polls operations.get until the operation is done', async () => {
    let polls = 0;
    const fetch = fakeFetch(({method}) => (method === 'DELETE' || ++polls < 3 ? reply(200, pending) : reply(200, {...pending, done: true, response: {'@type': 'type.googleapis.com/google.protobuf.Empty'}})));
    const {client, sleeps} = testClient(fetch, {operationPollIntervalMs: 500});

    const operation = await client.deleteNasJob(JOB, {wait: true});

    expect(operation.done).toBe(true);
    expect(fetch.requests.map(r => `${r.method} ${r.url.pathname}`)).toEqual([`DELETE /v1/${JOB}`, ...Array(3).fill(`GET /v1/${OP}`)]);
    expect(sleeps).toEqual([500, 500, 500]);
  });

  it('with wait, returns the still-pending operation when the wait runs out', async () => {
    const fetch = scriptedFetch(reply(200, pending));
    const {client} = testClient(fetch, {operationPollIntervalMs: 1000, operationMaxWaitMs: 3000});

    await expect(client.deleteNasJob(JOB, {wait: true})).resolves.toMatchObject({done: false});
    expect(fetch.requests).toHaveLength(1 + 3);
  });

  it.each([
    ['503', reply(503, aGoogleErrorBody(503, 'UNAVAILABLE'))],
    ['504', reply(504, aGoogleErrorBody(504, 'DEADLINE_EXCEEDED'))],
    ['a reset connection', reset],
  ] as [string, Reply][])('after %s, counts a 404 on the retry as already deleted', async (_, failure) => {
    const fetch = scriptedFetch(failure, reply(404, vertexFixture('error-404.json')));
    const {client} = testClient(fetch);

    await expect(client.deleteNasJob(JOB)).resolves.toBe(ALREADY_DELETED);
    expect(fetch.requests).toHaveLength(2);
  });

  it('throws NOT_FOUND when the first attempt already gets 404', async () => {
    const {client} = testClient(scriptedFetch(reply(404, vertexFixture('error-404.json'))));
    await expect(client.deleteNasJob(JOB)).rejects.toMatchObject({status: 'NOT_FOUND'});
  });

  it('does not retry a delete refused with FAILED_PRECONDITION or 500', async () => {
    for (const failure of [reply(400, aGoogleErrorBody(400, 'FAILED_PRECONDITION')), reply(500, aGoogleErrorBody(500, 'INTERNAL'))]) {
      const fetch = scriptedFetch(failure, reply(200, aDeleteOperationJson()));
      const {client} = testClient(fetch);
      await expect(client.deleteNasJob(JOB)).rejects.toMatchObject({name: 'VertexApiError'});
      expect(fetch.requests).toHaveLength(1);
    }
  });
});
