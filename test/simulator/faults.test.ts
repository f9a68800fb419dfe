import {afterEach, describe, expect, it} from 'vitest';
import {admin, aJobBody, api, createOk, PARENT, useSimulator} from './support.js';

const ctx = useSimulator();

afterEach(async () => {
  await admin(ctx.sim, 'DELETE', 'faults');
});

async function addFault(rule: Record<string, unknown>): Promise<void> {
  const reply = await admin(ctx.sim, 'POST', 'faults', rule);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

describe('fault injection', () => {
  it.each([
    ['unavailable', 503, 'UNAVAILABLE'],
    ['deadline', 504, 'DEADLINE_EXCEEDED'],
    ['rate-limit', 429, 'RESOURCE_EXHAUSTED'],
  ])('answers the next request with %s, then recovers', async (kind, status, canonical) => {
    await addFault({kind, count: 1, retryDelaySeconds: 3});
    const faulted = await api.list(ctx.sim);
    expect(faulted.status).toBe(status);
    expect(faulted.body.error).toMatchObject({code: status, status: canonical});
    if (kind === 'rate-limit') {
      expect(faulted.body.error.details).toContainEqual({'@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s'});
    }
    expect((await api.list(ctx.sim)).status).toBe(200);
  });

  it('delays requests by latencyMs', async () => {
    await addFault({kind: 'latency', latencyMs: 250, count: 1});
    const started = performance.now();
    expect((await api.list(ctx.sim)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });

  it('resets the connection', async () => {
    await addFault({kind: 'reset', count: 1});
    await expect(fetch(`${ctx.sim.url}/v1/${PARENT}/nasJobs`)).rejects.toThrow();
    expect((await api.list(ctx.sim)).status).toBe(200);
  });

  it('truncates the body after announcing its full length', async () => {
    await createOk(ctx.sim);
    await addFault({kind: 'truncate', count: 1});
    const read = async () => (await fetch(`${ctx.sim.url}/v1/${PARENT}/nasJobs`)).json();
    await expect(read()).rejects.toThrow();
  });

  it('lets the effect happen before a deadline fault with afterEffect (a create that "failed" but exists)', async () => {
    await addFault({kind: 'deadline', count: 1, method: 'POST', afterEffect: true});
    const reply = await api.create(ctx.sim, aJobBody({displayName: 'ghost-create'}));
    expect(reply.status).toBe(504);
    const listed = await api.list(ctx.sim, `?filter=${encodeURIComponent('display_name="ghost-create"')}`);
    expect(listed.body.nasJobs).toHaveLength(1);
  });

  it('matches on method and path substring only', async () => {
    await addFault({kind: 'unavailable', rate: 1, method: 'GET', pathContains: '/nasTrialDetails'});
    const job = await createOk(ctx.sim);
    expect((await api.get(ctx.sim, job.name)).status).toBe(200);
    expect((await api.get(ctx.sim, `${job.name}/nasTrialDetails`)).status).toBe(503);
  });

  it('fires at about the given rate and never touches admin endpoints', async () => {
    await addFault({kind: 'unavailable', rate: 0.5});
    let failures = 0;
    for (let i = 0; i < 200; i++) if ((await api.list(ctx.sim, '?pageSize=1')).status === 503) failures++;
    expect(failures).toBeGreaterThan(70);
    expect(failures).toBeLessThan(130);
    expect((await admin(ctx.sim, 'GET', 'stats')).status).toBe(200);
    expect((await admin(ctx.sim, 'GET', 'faults')).body.faults).toHaveLength(1);
  });

  it('validates fault rules', async () => {
    const reply = await admin(ctx.sim, 'POST', 'faults', {kind: 'gremlins', rate: 2});
    expect(reply.status).toBe(400);
    const fields = reply.body.error.details[0].fieldViolations.map((v: any) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'rate']));
    expect((await admin(ctx.sim, 'POST', 'faults', {kind: 'latency', count: 1})).body.error.message).toContain('latencyMs');
    expect((await admin(ctx.sim, 'POST', 'faults', {kind: 'unavailable'})).status).toBe(400);
  });
});
