import {beforeAll, describe, expect, it} from 'vitest';
import {admin, advance, api, createOk, PROJECT, useSimulator} from './support.js';

const ctx = useSimulator();
const PARENT = `projects/${PROJECT}/locations/europe-west4`;

const JOBS = [
  {displayName: 'alpha-search-1', labels: {team: 'vision', env: 'prod'}, state: 'JOB_STATE_RUNNING'},
  {displayName: 'alpha-search-2', labels: {team: 'vision'}, state: 'JOB_STATE_SUCCEEDED'},
  {displayName: 'beta-search', labels: {team: 'speech', env: 'dev'}, state: 'JOB_STATE_FAILED'},
  {displayName: 'gamma', labels: {team: 'speech'}, state: 'JOB_STATE_PENDING'},
  {displayName: 'delta', labels: {owner: 'ops'}, state: 'JOB_STATE_CANCELLED'},
];
const created: any[] = [];

beforeAll(async () => {
  for (const job of JOBS) {
    const body = await createOk(ctx.sim, {displayName: job.displayName, labels: {...job.labels, 'sim-scenario': 'stuck-pending'}}, PARENT);
    created.push(body);
    await advance(ctx.sim, 10);
  }
  for (const [i, job] of JOBS.entries()) {
    if (job.state === 'JOB_STATE_PENDING') continue;
    const reply = await admin(ctx.sim, 'POST', 'jobs:force', {name: created[i].name, state: job.state});
    expect(reply.status).toBe(200);
  }
});

async function namesFor(filter: string): Promise<string[]> {
  const reply = await api.list(ctx.sim, `?filter=${encodeURIComponent(filter)}`, PARENT);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return (reply.body.nasJobs ?? []).map((j: any) => j.displayName).sort();
}

const cases: [string, string[]][] = [
  ['display_name="gamma"', ['gamma']],
  ['displayName="gamma"', ['gamma']],
  ['display_name!="gamma"', ['alpha-search-1', 'alpha-search-2', 'beta-search', 'delta']],
  ['display_name:"alpha-*"', ['alpha-search-1', 'alpha-search-2']],
  ['display_name:"*search*"', ['alpha-search-1', 'alpha-search-2', 'beta-search']],
  ['display_name="alpha*"', ['alpha-search-1', 'alpha-search-2']],
  ['state="JOB_STATE_RUNNING"', ['alpha-search-1']],
  ['state=JOB_STATE_FAILED', ['beta-search']],
  ['state!="JOB_STATE_PENDING"', ['alpha-search-1', 'alpha-search-2', 'beta-search', 'delta']],
  ['labels.team="vision"', ['alpha-search-1', 'alpha-search-2']],
  ['labels.env:*', ['alpha-search-1', 'beta-search']],
  ['labels.team=speech AND labels.env:*', ['beta-search']],
  ['labels.team=vision OR state=JOB_STATE_FAILED', ['alpha-search-1', 'alpha-search-2', 'beta-search']],
  ['NOT labels.env:*', ['alpha-search-2', 'delta', 'gamma']],
  ['-labels.env:*', ['alpha-search-2', 'delta', 'gamma']],
  ['NOT (labels.team=vision OR labels.team=speech)', ['delta']],
  // AIP-160: OR binds tighter than AND, so this is vision AND (RUNNING OR FAILED).
  ['labels.team=vision AND state=JOB_STATE_RUNNING OR state=JOB_STATE_FAILED', ['alpha-search-1']],
  ['(labels.team=vision AND state=JOB_STATE_RUNNING) OR state=JOB_STATE_FAILED', ['alpha-search-1', 'beta-search']],
  ['labels.team=vision state=JOB_STATE_SUCCEEDED', ['alpha-search-2']],
  ['', ['alpha-search-1', 'alpha-search-2', 'beta-search', 'delta', 'gamma']],
];

describe('nasJobs.list filter', () => {
  it.each(cases)('filter %j selects %j', async (filter, expected) => {
    expect(await namesFor(filter)).toEqual(expected);
  });

  it('compares create_time with every operator, in either spelling and any offset', async () => {
    const t = created[2].createTime;
    expect(await namesFor(`create_time>"${t}"`)).toEqual(['delta', 'gamma']);
    expect(await namesFor(`create_time>="${t}"`)).toEqual(['beta-search', 'delta', 'gamma']);
    expect(await namesFor(`createTime<"${created[1].createTime}"`)).toEqual(['alpha-search-1']);
    expect(await namesFor(`create_time<="${created[1].createTime}"`)).toEqual(['alpha-search-1', 'alpha-search-2']);
    expect(await namesFor(`create_time="${t}"`)).toEqual(['beta-search']);
    expect(await namesFor(`create_time!="${t}"`)).toHaveLength(4);
    const shifted = new Date(Date.parse(t) + 2 * 3600_000).toISOString().slice(0, 19) + t.slice(19, 26) + '+02:00';
    expect(await namesFor(`create_time="${shifted}"`)).toEqual(['beta-search']);
  });

  it.each([
    ['update_time>"2020-01-01T00:00:00Z"', 'update_time'],
    ['state="RUNNING"', 'state'],
    ['state<JOB_STATE_RUNNING', 'Operator "<"'],
    ['create_time>"yesterday"', 'create_time'],
    ['display_name=', 'expected a value'],
    ['(state=JOB_STATE_RUNNING', "expected ')'"],
    ['display_name="unterminated', 'unterminated string'],
    ['labels.a.b=c', 'labels.a.b'],
  ])('rejects %j with 400 naming the problem', async (filter, fragment) => {
    const reply = await api.list(ctx.sim, `?filter=${encodeURIComponent(filter)}`, PARENT);
    expect(reply.status).toBe(400);
    expect(reply.body.error.status).toBe('INVALID_ARGUMENT');
    expect(reply.body.error.details[0].fieldViolations[0].field).toBe('filter');
    expect(reply.body.error.message).toContain(fragment);
  });

  it('never returns nasJobOutput, even for running jobs with trials', async () => {
    await advance(ctx.sim, 120);
    expect((await api.get(ctx.sim, created[0].name)).body.nasJobOutput.multiTrialJobOutput.searchTrials.length).toBeGreaterThan(0);
    const reply = await api.list(ctx.sim, '', PARENT);
    expect(reply.body.nasJobs.some((j: any) => 'nasJobOutput' in j)).toBe(false);
  });
});
