import {beforeEach, describe, expect, it} from 'vitest';
import {admin, aJobBody, api, PARENT, PROJECT, useSimulator} from './support.js';

const ctx = useSimulator({readsPerMinute: 5, writesPerMinute: 2});

beforeEach(async () => {
  await admin(ctx.sim, 'POST', 'reset');
});

const detailOf = (body: any, type: string) => body.error.details.find((d: any) => d['@type'] === `type.googleapis.com/google.rpc.${type}`);

describe('request quotas per project and location', () => {
  it('answers the read over the limit with 429 RESOURCE_EXHAUSTED, QuotaFailure and RetryInfo', async () => {
    for (let i = 0; i < 5; i++) expect((await api.list(ctx.sim)).status).toBe(200);
    const reply = await api.list(ctx.sim);
    expect(reply.status).toBe(429);
    expect(reply.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(detailOf(reply.body, 'QuotaFailure').violations[0].description).toContain('aiplatform.googleapis.com/resource_management_requests');
    expect(detailOf(reply.body, 'RetryInfo').retryDelay).toMatch(/^(1[0-2])s$/); // one token every 12 s at 5/min
    expect(detailOf(reply.body, 'ErrorInfo').reason).toBe('RATE_LIMIT_EXCEEDED');
  });

  it('keeps separate buckets per location and per project', async () => {
    for (let i = 0; i < 5; i++) await api.list(ctx.sim);
    expect((await api.list(ctx.sim)).status).toBe(429);
    expect((await api.list(ctx.sim, '', `projects/${PROJECT}/locations/europe-west4`)).status).toBe(200);
    expect((await api.list(ctx.sim, '', 'projects/another-project/locations/us-central1')).status).toBe(200);
  });

  it('counts a project id and its number as the same project', async () => {
    const created = await api.create(ctx.sim, aJobBody());
    const number = created.body.name.split('/')[1];
    for (let i = 0; i < 5; i++) await api.list(ctx.sim);
    expect((await api.list(ctx.sim, '', `projects/${number}/locations/us-central1`)).status).toBe(429);
  });

  it('limits creates and deletes with the writes bucket, and cancel with the reads bucket', async () => {
    const first = await api.create(ctx.sim, aJobBody({labels: {'sim-scenario': 'stuck-pending'}}));
    expect(first.status).toBe(200);
    expect((await api.create(ctx.sim, aJobBody())).status).toBe(200);
    const third = await api.create(ctx.sim, aJobBody());
    expect(third.status).toBe(429);
    expect(detailOf(third.body, 'QuotaFailure').violations[0].description).toContain('job_submission_requests');
    expect((await api.cancel(ctx.sim, first.body.name)).status).toBe(200);
    const stats = (await admin(ctx.sim, 'GET', 'stats')).body;
    expect(stats.byStatus['429']).toBe(1);
  });

  it('applies new limits from POST /simulator/quota at once', async () => {
    for (let i = 0; i < 5; i++) await api.list(ctx.sim);
    expect((await api.list(ctx.sim)).status).toBe(429);
    const reply = await admin(ctx.sim, 'POST', 'quota', {readsPerMinute: 100});
    expect(reply.body).toEqual({readsPerMinute: 100, writesPerMinute: 2});
    expect((await api.list(ctx.sim)).status).toBe(200);
    await admin(ctx.sim, 'POST', 'quota', {readsPerMinute: 5});
  });
});

describe('accelerator quota on create', () => {
  it('refuses a create that would exceed the GPUs in use, naming the metric, without RetryInfo', async () => {
    await admin(ctx.sim, 'POST', 'quota', {readsPerMinute: 1000, writesPerMinute: 1000});
    const set = await admin(ctx.sim, 'POST', 'accelerator-quota', {project: PROJECT, location: 'us-central1', acceleratorType: 'NVIDIA_TESLA_T4', limit: 4});
    expect(set.status).toBe(200);
    const body = aJobBody({labels: {'sim-scenario': 'stuck-pending'}, maxParallelTrialCount: 2, acceleratorCount: 1});
    const first = await api.create(ctx.sim, body);
    expect((await api.create(ctx.sim, body)).status).toBe(200);
    const refused = await api.create(ctx.sim, body);
    expect(refused.status).toBe(429);
    expect(refused.body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(refused.body.error.message).toContain('aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus');
    expect(detailOf(refused.body, 'RetryInfo')).toBeUndefined();
    expect((await api.create(ctx.sim, body, 'projects/other/locations/us-central1')).status).toBe(200);

    await admin(ctx.sim, 'POST', 'jobs:force', {name: first.body.name, state: 'JOB_STATE_FAILED'});
    expect((await api.create(ctx.sim, body, PARENT)).status).toBe(200);
  });
});
