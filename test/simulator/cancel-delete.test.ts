import {describe, expect, it} from 'vitest';
import {admin, advance, api, call, createOk, PARENT, useSimulator} from './support.js';

const ctx = useSimulator();

async function runningJob(labels: Record<string, string> = {}): Promise<any> {
  const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'succeed', 'sim-cancel': 'cancelled', ...labels}, maxTrialCount: 20});
  await advance(ctx.sim, 400);
  expect((await api.get(ctx.sim, job.name)).body.state).toBe('JOB_STATE_RUNNING');
  return job;
}

describe('nasJobs.cancel', () => {
  it('moves a running job to CANCELLING, then CANCELLED with error {code:1, message:"CANCELED"}', async () => {
    const job = await runningJob();
    const reply = await api.cancel(ctx.sim, job.name);
    expect(reply).toMatchObject({status: 200, body: {}});
    const cancelling = (await api.get(ctx.sim, job.name)).body;
    expect(cancelling.state).toBe('JOB_STATE_CANCELLING');
    expect(cancelling).not.toHaveProperty('endTime');
    expect(cancelling.nasJobOutput.multiTrialJobOutput.searchTrials.every((t: any) => t.state === 'STOPPING' || t.endTime)).toBe(true);
    expect((await api.cancel(ctx.sim, job.name)).status).toBe(200); // repeating a cancel is harmless
    await advance(ctx.sim, 150);
    const cancelled = (await api.get(ctx.sim, job.name)).body;
    expect(cancelled.state).toBe('JOB_STATE_CANCELLED');
    expect(cancelled.error).toEqual({code: 1, message: 'CANCELED'});
    expect(cancelled.endTime).toBe(cancelled.updateTime);
    expect(cancelled.nasJobOutput.multiTrialJobOutput.searchTrials.every((t: any) => t.state === 'SUCCEEDED' || t.state === 'INFEASIBLE')).toBe(true);
  });

  it('cancels a PENDING job without it ever running', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'stuck-pending', 'sim-cancel': 'cancelled'}});
    await api.cancel(ctx.sim, job.name);
    await advance(ctx.sim, 150);
    const done = (await api.get(ctx.sim, job.name)).body;
    expect(done.state).toBe('JOB_STATE_CANCELLED');
    expect(done).not.toHaveProperty('startTime');
  });

  it.each([
    ['race-succeeded', 'JOB_STATE_SUCCEEDED'],
    ['race-failed', 'JOB_STATE_FAILED'],
  ])('lets a cancel lose the race (%s → %s)', async (outcome, state) => {
    const job = await runningJob({'sim-cancel': outcome});
    await api.cancel(ctx.sim, job.name);
    await advance(ctx.sim, 150);
    const history = (await admin(ctx.sim, 'GET', `history?name=${job.name}`)).body.jobs[0];
    expect(history.states.map((s: any) => s.state).slice(-2)).toEqual(['JOB_STATE_CANCELLING', state]);
  });

  it('keeps every cancel it served in the true history, a repeat too, and not a refused one', async () => {
    const job = await runningJob();
    expect((await api.cancel(ctx.sim, job.name)).status).toBe(200);
    await advance(ctx.sim, 5);
    expect((await api.cancel(ctx.sim, job.name)).status).toBe(200);
    await advance(ctx.sim, 150);
    expect((await api.cancel(ctx.sim, job.name)).status).toBe(400); // CANCELLED by now
    const history = (await admin(ctx.sim, 'GET', `history?name=${job.name}`)).body;
    const requests = history.jobs[0].cancelRequests;
    expect(requests.map((r: any) => r.effect)).toEqual(['started', 'repeated']);
    expect(Date.parse(requests[1].time) - Date.parse(requests[0].time)).toBe(5000);
    expect(requests[0].time).toBe(history.jobs[0].states.find((s: any) => s.state === 'JOB_STATE_CANCELLING').time);
    expect(Date.parse(history.now)).toBeGreaterThanOrEqual(Date.parse(requests[1].time) + 150_000);
  });

  it('answers 400 FAILED_PRECONDITION when the job is already terminal', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'fail-capacity'}});
    await advance(ctx.sim, 700);
    const reply = await api.cancel(ctx.sim, job.name);
    expect(reply.status).toBe(400);
    expect(reply.body.error.status).toBe('FAILED_PRECONDITION');
  });

  it('answers 404 for an unknown job and 400 for unknown body members', async () => {
    expect((await api.cancel(ctx.sim, `${PARENT}/nasJobs/1111111111111111111`)).status).toBe(404);
    const job = await createOk(ctx.sim);
    expect((await call(ctx.sim, 'POST', `/v1/${job.name}:cancel`, {force: true})).status).toBe(400);
  });
});

describe('nasJobs.delete and operations', () => {
  it('returns a done Operation with DeleteOperationMetadata, then the job is 404 and gone from list', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'fail-capacity'}});
    await advance(ctx.sim, 700);
    const reply = await api.remove(ctx.sim, job.name);
    expect(reply.status).toBe(200);
    const operation = reply.body;
    const projectNumber = job.name.split('/')[1];
    expect(operation.name).toMatch(new RegExp(`^projects/${projectNumber}/locations/us-central1/operations/\\d{19}$`));
    expect(operation.done).toBe(true);
    expect(operation.metadata['@type']).toBe('type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata');
    expect(operation.metadata.genericMetadata.createTime).toMatch(/Z$/);
    expect(operation.response).toEqual({'@type': 'type.googleapis.com/google.protobuf.Empty'});
    expect(operation).not.toHaveProperty('error');

    const gone = await api.get(ctx.sim, job.name);
    expect(gone.status).toBe(404);
    expect(gone.body.error.status).toBe('NOT_FOUND');
    expect((await api.remove(ctx.sim, job.name)).status).toBe(404);
    const listed = (await api.list(ctx.sim, `?filter=${encodeURIComponent(`display_name="${job.displayName}"`)}`)).body.nasJobs ?? [];
    expect(listed.some((j: any) => j.name === job.name)).toBe(false);

    expect((await call(ctx.sim, 'GET', `/v1/${operation.name}`)).body).toEqual(operation);
    expect((await call(ctx.sim, 'POST', `/v1/${operation.name}:wait`, {timeout: '5s'})).body).toEqual(operation);
    const ops = (await call(ctx.sim, 'GET', `/v1/${PARENT}/operations`)).body.operations;
    expect(ops.map((o: any) => o.name)).toContain(operation.name);
    expect((await call(ctx.sim, 'GET', `/v1/${PARENT}/operations/1234`)).status).toBe(404);
  });

  it('refuses to delete a non-terminal job with FAILED_PRECONDITION unless configured to allow it', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'stuck-pending'}});
    const refused = await api.remove(ctx.sim, job.name);
    expect(refused.status).toBe(400);
    expect(refused.body.error.status).toBe('FAILED_PRECONDITION');
    await admin(ctx.sim, 'POST', 'config', {deleteNonTerminal: 'allow'});
    expect((await api.remove(ctx.sim, job.name)).body.done).toBe(true);
    await admin(ctx.sim, 'POST', 'config', {deleteNonTerminal: 'reject'});
  });
});
