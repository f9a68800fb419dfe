import {beforeAll, describe, expect, it} from 'vitest';
import {admin, advance, api, PROJECT, useSimulator} from './support.js';

const ctx = useSimulator();
const LOCATION = 'asia-east1';
const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;

beforeAll(async () => {
  const seed = (team: string, count: number) =>
    admin(ctx.sim, 'POST', 'jobs:seed', {project: PROJECT, location: LOCATION, count, labels: {team}, scenarioMix: {'stuck-pending': 1}});
  expect((await seed('paging-a', 200)).status).toBe(200);
  await advance(ctx.sim, 60);
  expect((await seed('paging-b', 60)).status).toBe(200);
});

async function listAll(query: string): Promise<{pages: any[][]; tokens: string[]}> {
  const pages: any[][] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  do {
    const reply = await api.list(ctx.sim, `?${query}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`, PARENT);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    pages.push(reply.body.nasJobs ?? []);
    token = reply.body.nextPageToken;
    if (token) tokens.push(token);
  } while (token);
  return {pages, tokens};
}

describe('nasJobs.list paging', () => {
  it('pages 260 jobs by 100 by default, newest first then by name, with no token on the last page', async () => {
    const {pages} = await listAll('');
    expect(pages.map(p => p.length)).toEqual([100, 100, 60]);
    const jobs = pages.flat();
    expect(new Set(jobs.map(j => j.name)).size).toBe(260);
    const sorted = [...jobs].sort((a, b) => (a.createTime === b.createTime ? (a.name < b.name ? -1 : 1) : a.createTime < b.createTime ? 1 : -1));
    expect(jobs.map(j => j.name)).toEqual(sorted.map(j => j.name));
    expect(jobs[0].labels.team).toBe('paging-b');
  });

  it('clamps pageSize above 100 and honours smaller sizes', async () => {
    expect((await api.list(ctx.sim, '?pageSize=1000', PARENT)).body.nasJobs).toHaveLength(100);
    expect((await api.list(ctx.sim, '?pageSize=7', PARENT)).body.nasJobs).toHaveLength(7);
  });

  it('follows a filter over several pages', async () => {
    const {pages} = await listAll(`pageSize=25&filter=${encodeURIComponent('labels.team="paging-a"')}`);
    expect(pages.map(p => p.length)).toEqual([25, 25, 25, 25, 25, 25, 25, 25]);
    expect(pages.flat().every(j => j.labels.team === 'paging-a')).toBe(true);
  });

  it('rejects a token reused with another filter or readMask, or tampered with', async () => {
    const first = await api.list(ctx.sim, '?pageSize=10&filter=labels.team%3Dpaging-a', PARENT);
    const token = encodeURIComponent(first.body.nextPageToken);
    const changedFilter = await api.list(ctx.sim, `?pageSize=10&filter=labels.team%3Dpaging-b&pageToken=${token}`, PARENT);
    expect(changedFilter.status).toBe(400);
    expect(changedFilter.body.error.details[0].fieldViolations[0].field).toBe('page_token');
    expect((await api.list(ctx.sim, `?pageSize=10&filter=labels.team%3Dpaging-a&readMask=name&pageToken=${token}`, PARENT)).status).toBe(400);
    const tampered = encodeURIComponent(first.body.nextPageToken.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')));
    expect((await api.list(ctx.sim, `?pageSize=10&filter=labels.team%3Dpaging-a&pageToken=${tampered}`, PARENT)).status).toBe(400);
    const samePageSizeChanged = await api.list(ctx.sim, `?pageSize=30&filter=labels.team%3Dpaging-a&pageToken=${token}`, PARENT);
    expect(samePageSizeChanged.status).toBe(200);
  });

  it('neither skips nor repeats jobs when one is deleted between pages', async () => {
    const first = await api.list(ctx.sim, '?pageSize=50', PARENT);
    const victim = first.body.nasJobs[10].name;
    await admin(ctx.sim, 'POST', 'jobs:force', {name: victim, state: 'JOB_STATE_FAILED'});
    expect((await api.remove(ctx.sim, victim)).status).toBe(200);
    const second = await api.list(ctx.sim, `?pageSize=50&pageToken=${encodeURIComponent(first.body.nextPageToken)}`, PARENT);
    const fresh = await api.list(ctx.sim, '?pageSize=100', PARENT);
    expect(second.body.nasJobs[0].name).toBe(fresh.body.nasJobs[49].name);
  });

  it('trims items to the readMask, in either spelling, and rejects unknown paths', async () => {
    const reply = await api.list(ctx.sim, '?pageSize=2&readMask=name,state,create_time,nasJobSpec.multiTrialAlgorithmSpec.metric', PARENT);
    expect(Object.keys(reply.body.nasJobs[0]).sort()).toEqual(['createTime', 'name', 'nasJobSpec', 'state']);
    expect(Object.keys(reply.body.nasJobs[0].nasJobSpec.multiTrialAlgorithmSpec)).toEqual(['metric']);
    const bad = await api.list(ctx.sim, '?readMask=name,colour', PARENT);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].fieldViolations[0].field).toBe('read_mask');
  });

  it('answers {} for an empty project', async () => {
    const reply = await api.list(ctx.sim, '', 'projects/nobody-here/locations/us-east1');
    expect(reply).toMatchObject({status: 200, body: {}});
  });
});
