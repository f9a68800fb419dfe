import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {isTerminalJobState} from '../../shared/core/vertex/job-state.js';
import {parseNasJobName} from '../../shared/core/vertex/names.js';
import {PARENT, simClient, startSim, statsDelta, type Sim} from './vertex-client.support.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
  await sim.config({scenarioMix: {succeed: 1}, cancelRaceProbability: 0});
});

describe('VertexNasClient reads against the simulator', () => {
  it('lists 260 seeded jobs across pages of 100, each exactly once', async () => {
    const {names} = await sim.seed(260);
    const {client} = simClient(sim);
    const before = await sim.stats();

    const {items, invalid} = await client.listNasJobs(PARENT);

    expect(invalid).toEqual([]);
    expect(new Set(items.map(job => job.name))).toEqual(new Set(names));
    expect(items.every(job => job.nasJobOutput === undefined)).toBe(true);
    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.list': 3});
  });

  it('follows pages of a small pageSize with a filter and a readMask', async () => {
    await sim.seed(25);
    const {client} = simClient(sim);
    const before = await sim.stats();

    const {items} = await client.listNasJobs(PARENT, {pageSize: 7, filter: 'state="JOB_STATE_PENDING"', readMask: ['state']});

    expect(items).toHaveLength(25);
    expect(items.every(job => job.state === 'JOB_STATE_PENDING')).toBe(true);
    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.list': 4});
  });

  it('returns one page and its token', async () => {
    await sim.seed(5);
    const {client} = simClient(sim);

    const first = await client.listNasJobsPage(PARENT, {pageSize: 2});
    const second = await client.listNasJobsPage(PARENT, {pageSize: 2, pageToken: first.nextPageToken!});

    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toEqual(expect.any(String));
    expect(second.items.map(j => j.name)).not.toContain(first.items[0]?.name);
  });

  it('gets a running job with its trials, then its trial details', async () => {
    const [name] = (await sim.seed(1)).names;
    await sim.advance(3 * 3600);
    const {client} = simClient(sim);

    const job = await client.getNasJob(name!);
    const {items: details, invalid} = await client.listNasTrialDetails(name!, {pageSize: 2});

    expect(job.state === 'JOB_STATE_RUNNING' || isTerminalJobState(job.state)).toBe(true);
    expect(job.startTime).toEqual(expect.any(String));
    const trials = job.nasJobOutput?.multiTrialJobOutput?.searchTrials ?? [];
    expect(trials.length).toBeGreaterThan(0);
    expect(invalid).toEqual([]);
    expect(details.length).toBeGreaterThan(0);
    const one = await client.getNasTrialDetail(details[0]!.name);
    expect(one).toEqual(details[0]);
  });

  it('reports a job that does not exist as NOT_FOUND, without retrying', async () => {
    const {client} = simClient(sim);
    const before = await sim.stats();

    await expect(client.getNasJob(`${PARENT}/nasJobs/1234567890123456789`)).rejects.toMatchObject({
      name: 'VertexApiError',
      httpStatus: 404,
      status: 'NOT_FOUND',
    });
    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.get': 1});
  });

  it('rejects a bad filter with INVALID_ARGUMENT', async () => {
    const {client} = simClient(sim);
    await expect(client.listNasJobs(PARENT, {filter: 'update_time>"2025-01-01T00:00:00Z"'})).rejects.toMatchObject({
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
    });
  });

  it('sends the bearer token (the simulator enforces it when asked)', async () => {
    await sim.config({requireAuth: true});
    const [name] = (await sim.seed(1)).names;
    const {client} = simClient(sim);

    await expect(client.getNasJob(name!)).resolves.toMatchObject({name});
    expect(parseNasJobName(name!)?.project).toMatch(/^\d+$/); // Vertex names carry the project number
  });
});
