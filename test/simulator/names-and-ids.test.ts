import {describe, expect, it} from 'vitest';
import {startSimulator} from '../../simulator/server.js';
import {aJobBody, api, createOk, LOCATION, PROJECT, useSimulator} from './support.js';

const ctx = useSimulator();

describe('ids and names', () => {
  it('assigns a 19-digit numeric id under the project number and sets createTime = updateTime', async () => {
    const job = await createOk(ctx.sim);
    const m = /^projects\/(\d{12})\/locations\/us-central1\/nasJobs\/(\d{19})$/.exec(job.name);
    expect(m).not.toBeNull();
    expect(BigInt(m![2]!)).toBeLessThan(2n ** 63n);
    expect(job.createTime).toBe(job.updateTime);
    expect(job.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(job.state).toBe('JOB_STATE_PENDING');
    expect(job).not.toHaveProperty('startTime');
    expect(job).not.toHaveProperty('nasJobOutput');
  });

  it('derives the same project number for a project id every time', async () => {
    const [a, b] = [await createOk(ctx.sim), await createOk(ctx.sim)];
    expect(a.name.split('/')[1]).toBe(b.name.split('/')[1]);
    expect(a.name).not.toBe(b.name);
  });

  it('finds a job by project id or by project number', async () => {
    const job = await createOk(ctx.sim);
    const id = job.name.split('/').pop();
    const byNumber = await api.get(ctx.sim, job.name);
    const byId = await api.get(ctx.sim, `projects/${PROJECT}/locations/${LOCATION}/nasJobs/${id}`);
    expect(byNumber.status).toBe(200);
    expect(byId.body).toEqual(byNumber.body);
  });

  it('keeps projects and locations apart', async () => {
    const job = await createOk(ctx.sim);
    const id = job.name.split('/').pop();
    expect((await api.get(ctx.sim, `projects/other-project/locations/${LOCATION}/nasJobs/${id}`)).status).toBe(404);
    expect((await api.get(ctx.sim, `projects/${PROJECT}/locations/europe-west4/nasJobs/${id}`)).status).toBe(404);
  });

  it('answers 404 NOT_FOUND for an unknown id and 400 for a non-numeric one', async () => {
    const missing = await api.get(ctx.sim, `projects/${PROJECT}/locations/${LOCATION}/nasJobs/1234567890123456789`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.status).toBe('NOT_FOUND');
    const bad = await api.get(ctx.sim, `projects/${PROJECT}/locations/${LOCATION}/nasJobs/abc`);
    expect(bad.status).toBe(400);
  });

  it('gives the same ids for the same seed and other ids for another seed', async () => {
    const ids = async (seed: number) => {
      const sim = await startSimulator({seed, timeScale: 0});
      try {
        return [(await api.create(sim, aJobBody())).body.name, (await api.create(sim, aJobBody())).body.name];
      } finally {
        await sim.close();
      }
    };
    const [first, again, other] = [await ids(7), await ids(7), await ids(8)];
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('returns QUEUED from create when started with initialState QUEUED', async () => {
    const sim = await startSimulator({initialState: 'JOB_STATE_QUEUED', timeScale: 0});
    try {
      expect((await api.create(sim, aJobBody())).body.state).toBe('JOB_STATE_QUEUED');
    } finally {
      await sim.close();
    }
  });
});
