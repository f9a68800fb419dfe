import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {createRequestBudget} from '../../shared/adapters/vertex/request-budget.js';
import {PARENT, PROJECT, LOCATION, simClient, startSim, statsDelta, type FaultRule, type Sim} from './vertex-client.support.js';

let sim: Sim;
let job: string;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.reset();
  job = (await sim.seed(3)).names[0]!;
});

describe('VertexNasClient retries against injected faults', () => {
  it.each([
    ['503 UNAVAILABLE', {kind: 'unavailable'}, '503'],
    ['504 DEADLINE_EXCEEDED', {kind: 'deadline'}, '504'],
    ['a reset connection', {kind: 'reset'}, '0'],
    ['a truncated body', {kind: 'truncate'}, '200'],
    ['429 with RetryInfo', {kind: 'rate-limit', retryDelaySeconds: 0.25}, '429'],
  ] as [string, FaultRule, string][])('retries a get after %s', async (_, fault, status) => {
    await sim.fault({...fault, method: 'GET', count: 2});
    const {client} = simClient(sim);
    const before = await sim.stats();

    await expect(client.getNasJob(job)).resolves.toMatchObject({name: job});

    const delta = statsDelta(before, await sim.stats());
    expect(delta.byMethod).toEqual({'nasJobs.get': 3});
    expect(delta.byStatus).toMatchObject({[status]: 2, 200: status === '200' ? 3 : 1});
  });

  it('waits the RetryInfo delay the server sent', async () => {
    await sim.fault({kind: 'rate-limit', retryDelaySeconds: 2, method: 'GET', count: 1});
    const {client, sleeps} = simClient(sim);

    await client.listNasJobs(PARENT);

    expect(sleeps).toEqual([2000]);
  });

  it('retries a list page mid-scan after a 503', async () => {
    await sim.seed(150);
    await sim.fault({kind: 'unavailable', method: 'GET', pathContains: '/nasJobs', count: 1});
    const {client} = simClient(sim);

    const {items} = await client.listNasJobs(PARENT);

    expect(items).toHaveLength(153);
  });

  it('times out a slow read (latency over timeoutMs) and retries it', async () => {
    await sim.fault({kind: 'latency', latencyMs: 500, method: 'GET', count: 1});
    const {client} = simClient(sim, {timeoutMs: 150});
    const started = Date.now();

    await expect(client.getNasJob(job)).resolves.toMatchObject({name: job});
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('gives up with a retryable error when every attempt times out', async () => {
    await sim.fault({kind: 'latency', latencyMs: 300, method: 'GET', count: 3});
    const {client} = simClient(sim, {timeoutMs: 100, retry: {maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1}});

    await expect(client.getNasJob(job)).rejects.toMatchObject({name: 'VertexTransportError', failure: 'timeout', retryable: true});
    await new Promise(resolve => setTimeout(resolve, 350)); // let the abandoned requests finish server-side
  });

  it('retries a cancel after a 503', async () => {
    await sim.fault({kind: 'unavailable', method: 'POST', pathContains: ':cancel', count: 1});
    const {client} = simClient(sim);
    const before = await sim.stats();

    await client.cancelNasJob(job);

    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.cancel': 2});
  });

  it('retries after a real request-quota 429, waiting the RetryInfo delay until the bucket refills', async () => {
    await sim.quota({readsPerMinute: 60}); // refills one read per second of real time
    while ((await fetch(`${sim.url}/v1/${job}`)).status !== 429); // drain the bucket
    const real = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
    const {client, sleeps} = simClient(sim, {sleep: async ms => (sleeps.push(ms), real(ms))});
    const before = await sim.stats();

    await expect(client.getNasJob(job)).resolves.toMatchObject({name: job});

    expect(statsDelta(before, await sim.stats()).byStatus['429']).toBeGreaterThanOrEqual(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500); // the server's RetryInfo, not the 10 ms backoff
  });

  it('pauses the budget on a 429 so that the retry waits out the server’s delay', async () => {
    await sim.fault({kind: 'rate-limit', retryDelaySeconds: 0.3, method: 'GET', count: 1});
    const budget = createRequestBudget({readsPerMinute: 600, share: 0.5});
    const {client} = simClient(sim, {budget});
    const started = Date.now();

    await client.getNasJob(job);

    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(budget.tryAcquire({project: job.split('/')[1]!, location: LOCATION}).granted).toBe(true);
    expect(PROJECT).not.toBe(job.split('/')[1]); // the budget keys on the project as written in the name
  });
});
