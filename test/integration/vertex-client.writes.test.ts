import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {ALREADY_DELETED} from '../../shared/adapters/vertex/delete-nas-job.js';
import {isAcceleratorQuotaError} from '../../shared/core/vertex/vertex-api-error.js';
import {aNasJobDraft} from '../factories.js';
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

describe('VertexNasClient writes against the simulator', () => {
  it('creates a PENDING job carrying the request_id label', async () => {
    const {client} = simClient(sim, {newRequestId: () => 'req-create-1'});

    const job = await client.createNasJob(PARENT, aNasJobDraft());

    expect(job).toMatchObject({state: 'JOB_STATE_PENDING', displayName: 'search-job', labels: {team: 'vision', request_id: 'req-create-1'}});
    expect(await client.getNasJob(job.name)).toMatchObject({name: job.name});
  });

  it('surfaces a 400 with BadRequest field violations and does not retry', async () => {
    const {client} = simClient(sim);
    const before = await sim.stats();
    const draft = aNasJobDraft({displayName: ''});

    const error = await client.createNasJob(PARENT, draft).catch((e: unknown) => e);

    expect(error).toMatchObject({httpStatus: 400, status: 'INVALID_ARGUMENT', code: 'upstream-rejected'});
    expect((error as {details: unknown[]}).details).toContainEqual(
      expect.objectContaining({kind: 'BadRequest', fieldViolations: expect.arrayContaining([expect.objectContaining({field: expect.stringContaining('display')})])}),
    );
    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.create': 1});
  });

  it('surfaces an accelerator-quota 429 on create without retrying it', async () => {
    await sim.acceleratorQuota('NVIDIA_TESLA_T4', 0);
    const {client} = simClient(sim);
    const before = await sim.stats();

    const error = await client.createNasJob(PARENT, aNasJobDraft()).catch((e: unknown) => e);

    expect(isAcceleratorQuotaError(error)).toBe(true);
    expect(error).toMatchObject({httpStatus: 429, retryable: false});
    expect(statsDelta(before, await sim.stats()).byMethod).toEqual({'nasJobs.create': 1});
  });

  it('cancels a running job: CANCELLING, then CANCELLED with error CANCELED', async () => {
    const {client} = simClient(sim);
    const job = await client.createNasJob(PARENT, aNasJobDraft());
    await sim.advance(600);

    await client.cancelNasJob(job.name);
    const cancelling = await client.getNasJob(job.name);
    await sim.advance(600);
    const cancelled = await client.getNasJob(job.name);

    expect(['JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']).toContain(cancelling.state);
    expect(cancelled).toMatchObject({state: 'JOB_STATE_CANCELLED', error: {code: 1, message: 'CANCELED'}});
    expect(cancelled.endTime).toEqual(expect.any(String));
  });

  it('gets FAILED_PRECONDITION (400) when cancelling a finished job', async () => {
    const {client} = simClient(sim);
    const job = await client.createNasJob(PARENT, aNasJobDraft());
    await sim.force(job.name, 'JOB_STATE_FAILED', {errorCode: 8, errorMessage: 'Resources are insufficient in region: us-central1.'});

    await expect(client.cancelNasJob(job.name)).rejects.toMatchObject({httpStatus: 400, status: 'FAILED_PRECONDITION'});
    expect(await client.getNasJob(job.name)).toMatchObject({state: 'JOB_STATE_FAILED', error: {code: 8}});
  });

  it('refuses to delete a running job with FAILED_PRECONDITION', async () => {
    const {client} = simClient(sim);
    const job = await client.createNasJob(PARENT, aNasJobDraft());

    await expect(client.deleteNasJob(job.name)).rejects.toMatchObject({status: 'FAILED_PRECONDITION'});
  });

  it('deletes a terminal job, waits for the operation, and the job is gone', async () => {
    const {client} = simClient(sim);
    const job = await client.createNasJob(PARENT, aNasJobDraft());
    await sim.force(job.name, 'JOB_STATE_SUCCEEDED');

    const operation = await client.deleteNasJob(job.name, {wait: true});

    expect(operation).toMatchObject({done: true, response: {'@type': 'type.googleapis.com/google.protobuf.Empty'}});
    expect(operation.name).toMatch(/^projects\/\d+\/locations\/us-central1\/operations\/\d+$/);
    await expect(client.getOperation(operation.name)).resolves.toMatchObject({name: operation.name, done: true});
    await expect(client.getNasJob(job.name)).rejects.toMatchObject({status: 'NOT_FOUND'});
  });

  it('after a 503 on the first DELETE that still deleted, counts the retry’s 404 as done', async () => {
    const {client} = simClient(sim);
    const job = await client.createNasJob(PARENT, aNasJobDraft());
    await sim.force(job.name, 'JOB_STATE_CANCELLED');
    await sim.fault({kind: 'reset', method: 'DELETE', count: 1, afterEffect: true});

    await expect(client.deleteNasJob(job.name)).resolves.toBe(ALREADY_DELETED);
    await expect(client.getNasJob(job.name)).rejects.toMatchObject({status: 'NOT_FOUND'});
  });
});
