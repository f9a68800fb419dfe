import {describe, expect, it} from 'vitest';
import {decodeWholeJob} from '../../../../shared/core/vertex/index.js';
import {regionalBaseUrl} from '../../../../shared/adapters/vertex/vertex-caller.js';
import {aNasJobJson, vertexFixture} from '../../../factories.js';
import {fakeFetch, reply, scriptedFetch, testClient} from './fake-fetch.js';

const PARENT = 'projects/p/locations/us-central1';
const JOB = `${PARENT}/nasJobs/1`;

describe('VertexNasClient reads', () => {
  it('gets a job from {base}/v1/{name}', async () => {
    const fetch = scriptedFetch(reply(200, vertexFixture('nas-job-running.json')));
    const {client} = testClient(fetch);

    const job = await client.getNasJob(JOB);

    expect(job.state).toBe('JOB_STATE_RUNNING');
    expect(fetch.requests[0]).toMatchObject({method: 'GET', headers: {authorization: 'Bearer fixed-test-token'}});
    expect(fetch.requests[0]?.url.href).toBe(`http://127.0.0.1:9/v1/${JOB}?prettyPrint=false`);
  });

  it('defaults to the regional endpoint of the name’s location', async () => {
    const fetch = scriptedFetch(reply(200, aNasJobJson({name: 'projects/p/locations/europe-west4/nasJobs/9'})));
    const {client} = testClient(fetch, {baseUrl: undefined});

    await client.getNasJob('projects/p/locations/europe-west4/nasJobs/9');

    expect(regionalBaseUrl('europe-west4')).toBe('https://europe-west4-aiplatform.googleapis.com');
    expect(fetch.requests[0]?.url.origin).toBe('https://europe-west4-aiplatform.googleapis.com');
  });

  it.each([
    ['getNasJob', 'projects/p/locations/l/customJobs/1'],
    ['getNasJob', 'projects/p/nasJobs/1'],
    ['cancelNasJob', 'nasJobs/1'],
    ['deleteNasJob', ''],
    ['getNasTrialDetail', JOB],
    ['getOperation', JOB],
    ['listNasJobs', JOB],
    ['listNasTrialDetails', PARENT],
  ] as const)('%s rejects the name %j as invalid-argument without sending anything', async (method, name) => {
    const fetch = scriptedFetch(reply(200));
    const {client} = testClient(fetch);
    const call = client[method] as (name: string) => Promise<unknown>;

    await expect(call(name)).rejects.toMatchObject({code: 'invalid-argument'});
    expect(fetch.requests).toHaveLength(0);
  });

  it('follows every page with the same query, de-duplicating jobs by name (newest updateTime wins)', async () => {
    const job = (id: number, updateTime = '2025-07-20T10:00:00Z') => aNasJobJson({name: `${PARENT}/nasJobs/${id}`, updateTime});
    const pages = [
      {nasJobs: [job(1), job(2)], nextPageToken: 'p2'},
      {nasJobs: [job(2, '2025-07-20T11:00:00Z'), job(3)], nextPageToken: 'p3'},
      {nasJobs: [job(1, '2025-07-20T09:00:00Z')]},
    ];
    const fetch = scriptedFetch(...pages.map(page => reply(200, page)));
    const {client} = testClient(fetch);

    const {items, invalid} = await client.listNasJobs(PARENT, {filter: 'state="JOB_STATE_RUNNING"', readMask: ['state', 'updateTime']});

    expect(items.map(j => [j.name.split('/').pop(), j.updateTime])).toEqual([
      ['1', '2025-07-20T10:00:00Z'],
      ['2', '2025-07-20T11:00:00Z'],
      ['3', '2025-07-20T10:00:00Z'],
    ]);
    expect(invalid).toEqual([]);
    const queries = fetch.requests.map(r => Object.fromEntries(r.url.searchParams));
    expect(queries).toEqual([
      {filter: 'state="JOB_STATE_RUNNING"', pageSize: '100', readMask: 'name,state,updateTime', prettyPrint: 'false'},
      {filter: 'state="JOB_STATE_RUNNING"', pageSize: '100', readMask: 'name,state,updateTime', prettyPrint: 'false', pageToken: 'p2'},
      {filter: 'state="JOB_STATE_RUNNING"', pageSize: '100', readMask: 'name,state,updateTime', prettyPrint: 'false', pageToken: 'p3'},
    ]);
    expect(fetch.requests[0]?.url.pathname).toBe(`/v1/${PARENT}/nasJobs`);
  });

  it('returns the valid jobs of a page and reports a garbage one', async () => {
    const bad = aNasJobJson({name: `${PARENT}/nasJobs/2`, state: {oops: true}});
    const fetch = scriptedFetch(reply(200, {nasJobs: [aNasJobJson({name: `${PARENT}/nasJobs/1`}), bad]}));
    const {client} = testClient(fetch);

    const {items, invalid} = await client.listNasJobs(PARENT);

    expect(items).toHaveLength(1);
    expect(invalid).toMatchObject([{name: `${PARENT}/nasJobs/2`, error: {path: '$.nasJobs[1].state'}}]);
  });

  it('lists job heads: the JSON kept only where asked, a bad head reported, duplicates merged newest-first', async () => {
    const job = (id: number, updateTime: string, more: Record<string, unknown> = {}) =>
      aNasJobJson({name: `${PARENT}/nasJobs/${id}`, state: 'JOB_STATE_RUNNING', updateTime, ...more});
    const fetch = scriptedFetch(
      reply(200, {nasJobs: [job(1, '2025-07-20T10:00:00Z'), job(2, '2025-07-20T10:00:00Z', {updateTime: 'soon'})], nextPageToken: 'p2'}),
      reply(200, {nasJobs: [job(1, '2025-07-20T11:00:00Z'), job(3, '2025-07-20T10:00:00Z', {labels: {team: 7}})]}),
    );
    const {client} = testClient(fetch);

    const {items, invalid} = await client.listNasJobHeads(PARENT, {filter: 'x', keepSource: head => head.name.endsWith('/3')});

    expect(items.map(head => [head.name.split('/').pop(), head.updateTime, head.source !== undefined])).toEqual([
      ['1', '2025-07-20T11:00:00Z', false],
      ['3', '2025-07-20T10:00:00Z', true],
    ]);
    expect(invalid).toMatchObject([{name: `${PARENT}/nasJobs/2`, error: {path: '$.nasJobs[1].updateTime'}}]);
    // Job 3's labels are garbage, but only decoding the whole job finds out.
    expect(() => decodeWholeJob(items[1]!)).toThrow(/\$\.nasJobs\[1\]\.labels\.team/);
    expect(fetch.requests.map(r => r.url.searchParams.get('pageToken'))).toEqual([null, 'p2']);
  });

  it('stops with payload-invalid when the server repeats a page token', async () => {
    const fetch = scriptedFetch(reply(200, {nasJobs: [], nextPageToken: 'same'}));
    const {client} = testClient(fetch);

    await expect(client.listNasJobs(PARENT)).rejects.toMatchObject({code: 'payload-invalid'});
    expect(fetch.requests).toHaveLength(2);
  });

  it('reads one page with the caller’s token', async () => {
    const fetch = scriptedFetch(reply(200, {nasJobs: [aNasJobJson()], nextPageToken: 'n'}));
    const {client} = testClient(fetch);

    const page = await client.listNasJobsPage(PARENT, {pageToken: 't', pageSize: 5});

    expect(page).toMatchObject({nextPageToken: 'n', invalid: []});
    expect(Object.fromEntries(fetch.requests[0]!.url.searchParams)).toEqual({pageToken: 't', pageSize: '5', prettyPrint: 'false'});
  });

  it('lists every page of trial details and gets one', async () => {
    const detail = (id: string) => ({name: `${JOB}/nasTrialDetails/${id}`, searchTrial: {id, state: 'ACTIVE'}});
    const fetch = fakeFetch(({url}) => {
      if (url.pathname.endsWith('/nasTrialDetails/7')) return reply(200, detail('7'));
      return url.searchParams.get('pageToken') ? reply(200, {nasTrialDetails: [detail('2')]}) : reply(200, {nasTrialDetails: [detail('1')], nextPageToken: 'x'});
    });
    const {client} = testClient(fetch);

    const {items} = await client.listNasTrialDetails(JOB, {pageSize: 20});
    const one = await client.getNasTrialDetail(`${JOB}/nasTrialDetails/7`);

    expect(items.map(d => d.searchTrial?.id)).toEqual(['1', '2']);
    expect(one.searchTrial).toEqual({id: '7', state: 'ACTIVE'});
    expect(fetch.requests[0]?.url.pathname).toBe(`/v1/${JOB}/nasTrialDetails`);
    expect(fetch.requests[0]?.url.searchParams.get('pageSize')).toBe('20');
  });

  it('gets an operation by its location-level name', async () => {
    const fetch = scriptedFetch(reply(200, vertexFixture('delete-operation.json')));
    const {client} = testClient(fetch);
    const name = 'projects/123456789012/locations/us-central1/operations/1234567890123456789';

    await expect(client.getOperation(name)).resolves.toMatchObject({name, done: true});
    expect(fetch.requests[0]?.url.pathname).toBe(`/v1/${name}`);
  });

  it('throws payload-invalid, unretried, when a job has the wrong JSON types', async () => {
    const fetch = scriptedFetch(reply(200, aNasJobJson({createTime: 17})));
    const {client} = testClient(fetch);

    await expect(client.getNasJob(JOB)).rejects.toMatchObject({code: 'payload-invalid', path: '$.createTime'});
    expect(fetch.requests).toHaveLength(1);
  });

  it('keeps unknown enum values from the server visible', async () => {
    const fetch = scriptedFetch(reply(200, aNasJobJson({state: 'JOB_STATE_FROZEN', nasJobOutput: {multiTrialJobOutput: {searchTrials: [{id: '1', state: 9}]}}})));
    const {client} = testClient(fetch);

    const job = await client.getNasJob(JOB);

    expect(String(job.state)).toBe('JOB_STATE_FROZEN');
    expect(JSON.parse(JSON.stringify(job.nasJobOutput))).toEqual({multiTrialJobOutput: {searchTrials: [{id: '1', state: 9}], trainTrials: []}});
  });
});
