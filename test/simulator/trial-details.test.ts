import {beforeAll, describe, expect, it} from 'vitest';
import {advance, aJobBody, api, call, createOk, useSimulator} from './support.js';

const ctx = useSimulator();
let maximizing: any;

async function details(name: string, query = ''): Promise<any> {
  return (await call(ctx.sim, 'GET', `/v1/${name}/nasTrialDetails${query}`)).body;
}

beforeAll(async () => {
  const search = aJobBody().nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec;
  maximizing = await createOk(ctx.sim, {
    labels: {'sim-scenario': 'succeed'},
    maxTrialCount: 12,
    maxParallelTrialCount: 4,
    trainTrialSpec: {trainTrialJobSpec: search, maxParallelTrialCount: 2, frequency: 4},
  });
});

describe('nasTrialDetails', () => {
  it('lists unmeasured trials by id while a job is running, each with parameters as JSON', async () => {
    await advance(ctx.sim, 400);
    const body = await details(maximizing.name);
    expect(body.nasTrialDetails.map((d: any) => d.searchTrial.id)).toEqual(['1', '2', '3', '4']);
    for (const detail of body.nasTrialDetails) {
      expect(detail.name).toBe(`${maximizing.name}/nasTrialDetails/${detail.searchTrial.id}`);
      expect(JSON.parse(detail.parameters)).toHaveProperty('blocks');
    }
  });

  it('orders details best-first by final metric, unmeasured last, with train trials attached', async () => {
    await advance(ctx.sim, 40 * 3600);
    const body = await details(maximizing.name);
    const measured = body.nasTrialDetails.filter((d: any) => d.searchTrial.finalMeasurement);
    const values = measured.map((d: any) => d.searchTrial.finalMeasurement.metrics[0].value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const firstUnmeasured = body.nasTrialDetails.findIndex((d: any) => !d.searchTrial.finalMeasurement);
    if (firstUnmeasured >= 0) expect(firstUnmeasured).toBe(measured.length);
    const trained = body.nasTrialDetails.filter((d: any) => d.trainTrial);
    expect(trained.length).toBeGreaterThan(0);
    for (const d of trained) expect(d.trainTrial.id).toBe(d.searchTrial.id);
  });

  it('orders lowest-first when the goal is MINIMIZE', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'succeed'}, goal: 'MINIMIZE', maxTrialCount: 8});
    await advance(ctx.sim, 40 * 3600);
    const values = (await details(job.name)).nasTrialDetails
      .filter((d: any) => d.searchTrial.finalMeasurement)
      .map((d: any) => d.searchTrial.finalMeasurement.metrics[0].value);
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('pages with pageSize and pageToken', async () => {
    const first = await details(maximizing.name, '?pageSize=5');
    expect(first.nasTrialDetails).toHaveLength(5);
    const second = await details(maximizing.name, `?pageSize=5&pageToken=${encodeURIComponent(first.nextPageToken)}`);
    const third = await details(maximizing.name, `?pageSize=5&pageToken=${encodeURIComponent(second.nextPageToken)}`);
    expect(third.nasTrialDetails).toHaveLength(2);
    expect(third).not.toHaveProperty('nextPageToken');
    const ids = [...first.nasTrialDetails, ...second.nasTrialDetails, ...third.nasTrialDetails].map((d: any) => d.searchTrial.id);
    expect(new Set(ids).size).toBe(12);
  });

  it('gets one detail by trial id, and 404 for an unknown one', async () => {
    const reply = await call(ctx.sim, 'GET', `/v1/${maximizing.name}/nasTrialDetails/3`);
    expect(reply.status).toBe(200);
    expect(reply.body.searchTrial.id).toBe('3');
    expect((await call(ctx.sim, 'GET', `/v1/${maximizing.name}/nasTrialDetails/99`)).status).toBe(404);
    expect((await api.get(ctx.sim, `${maximizing.name}/nasTrialDetails/99`)).body.error.status).toBe('NOT_FOUND');
  });
});
