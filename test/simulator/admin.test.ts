import {describe, expect, it} from 'vitest';
import {admin, advance, api, createOk, PROJECT, useSimulator} from './support.js';

const ctx = useSimulator();

describe('admin: clock and history', () => {
  it('reports and advances the simulated clock', async () => {
    const before = (await admin(ctx.sim, 'GET', 'clock')).body.now;
    const reply = await admin(ctx.sim, 'POST', 'clock:advance', {seconds: 90});
    expect(Date.parse(reply.body.now) - Date.parse(before)).toBe(90_000);
  });

  it('records every state change of every job with its simulated time, deleted jobs included', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'succeed'}, maxTrialCount: 3, maxParallelTrialCount: 3});
    await advance(ctx.sim, 48 * 3600);
    expect((await api.remove(ctx.sim, job.name)).status).toBe(200);
    const history = (await admin(ctx.sim, 'GET', 'history')).body;
    const entry = history.jobs.find((j: any) => j.name === job.name);
    expect(entry).toMatchObject({displayName: job.displayName, deleted: true, scenario: 'succeed'});
    expect(entry.states[0]).toEqual({state: 'JOB_STATE_PENDING', time: job.createTime});
    expect(entry.states.map((s: any) => s.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    expect(entry.trials.map((t: any) => [t.stage, t.id])).toEqual([['search', '1'], ['search', '2'], ['search', '3']]);
    for (const trial of entry.trials) {
      expect(trial.states[0].state).toBe('REQUESTED');
      expect(trial.states.map((s: any) => s.state)).toContain('ACTIVE');
      const times = trial.states.map((s: any) => s.time);
      expect(times).toEqual([...times].sort());
    }
    expect(entry.deleteTime).toBeDefined();
  });

  it('narrows the history to one job with ?name=', async () => {
    const job = await createOk(ctx.sim);
    const {jobs} = (await admin(ctx.sim, 'GET', `history?name=${encodeURIComponent(job.name)}`)).body;
    expect(jobs.map((j: any) => j.name)).toEqual([job.name]);
  });
});

describe('admin: forcing states', () => {
  it('forces a state with an error, records it, and lets RUNNING resume trial scheduling', async () => {
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'stuck-pending'}});
    const running = await admin(ctx.sim, 'POST', 'jobs:force', {name: job.name, state: 'JOB_STATE_RUNNING'});
    expect(running.body.state).toBe('JOB_STATE_RUNNING');
    expect(running.body.nasJobOutput.multiTrialJobOutput.searchTrials.length).toBeGreaterThan(0);
    const failed = await admin(ctx.sim, 'POST', 'jobs:force', {name: job.name, state: 5, errorCode: 13, errorMessage: 'boom'});
    expect(failed.body).toMatchObject({state: 'JOB_STATE_FAILED', error: {code: 13, message: 'boom'}});
    expect(failed.body.endTime).toBeDefined();
    const {jobs} = (await admin(ctx.sim, 'GET', `history?name=${encodeURIComponent(job.name)}`)).body;
    expect(jobs[0].states.map((s: any) => s.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_FAILED']);
  });

  it.each([
    [{name: 'x', state: 'JOB_STATE_RUNNING'}, 'name'],
    [{state: 'JOB_STATE_RUNNING'}, 'name'],
    [{name: 'projects/p/locations/l/nasJobs/1', state: 'JOB_STATE_BORED'}, 'state'],
    [{name: 'projects/p/locations/l/nasJobs/1', state: 'JOB_STATE_UNSPECIFIED'}, 'state'],
    [{name: 'projects/p/locations/l/nasJobs/1', state: 'JOB_STATE_FAILED', errorCode: 99}, 'errorCode'],
    [{name: 'projects/p/locations/l/nasJobs/1', state: 'JOB_STATE_FAILED', colour: 'red'}, 'colour'],
  ])('rejects force body %j naming %s', async (body, field) => {
    const reply = await admin(ctx.sim, 'POST', 'jobs:force', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0].fieldViolations.map((v: any) => v.field)).toContain(field);
  });

  it('answers 404 when forcing an unknown job', async () => {
    const reply = await admin(ctx.sim, 'POST', 'jobs:force', {name: `projects/${PROJECT}/locations/us-central1/nasJobs/1`, state: 'JOB_STATE_FAILED'});
    expect(reply.status).toBe(404);
  });
});

describe('admin: seeding, config, stats, reset', () => {
  it('seeds jobs with a scenario mix and returns their names', async () => {
    const reply = await admin(ctx.sim, 'POST', 'jobs:seed', {project: 'seed-proj', location: 'us-east1', count: 30, scenarioMix: {'fail-capacity': 1}, ageSeconds: 7200});
    expect(reply.body.names).toHaveLength(30);
    const listed = await api.list(ctx.sim, '?filter=state%3DJOB_STATE_FAILED', 'projects/seed-proj/locations/us-east1');
    expect(listed.body.nasJobs.length).toBeGreaterThan(0);
  });

  it.each([
    ['jobs:seed', {project: 'p', location: 'l', count: 0}, 'count'],
    ['jobs:seed', {location: 'l', count: 3}, 'project'],
    ['jobs:seed', {project: 'p', location: 'l', count: 3, scenarioMix: {explode: 1}}, 'scenarioMix.explode'],
    ['config', {pendingSeconds: [10, 5]}, 'pendingSeconds'],
    ['config', {cancelRaceProbability: 1.5}, 'cancelRaceProbability'],
    ['config', {deleteNonTerminal: 'sometimes'}, 'deleteNonTerminal'],
    ['quota', {readsPerMinute: 0}, 'readsPerMinute'],
    ['accelerator-quota', {project: 'p', location: 'l', acceleratorType: 'NVIDIA_TESLA_T4'}, 'limit'],
    ['accelerator-quota', {project: 'p', location: 'l', acceleratorType: 'ABACUS', limit: 1}, 'acceleratorType'],
    ['clock:advance', {seconds: -5}, 'seconds'],
    ['clock:advance', {}, 'seconds'],
  ])('rejects POST /simulator/%s %j naming %s', async (path, body, field) => {
    const reply = await admin(ctx.sim, 'POST', path, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.status).toBe('INVALID_ARGUMENT');
    expect(reply.body.error.details[0].fieldViolations.map((v: any) => v.field)).toContain(field);
  });

  it('rejects a non-JSON admin body and unknown admin paths', async () => {
    expect((await admin(ctx.sim, 'POST', 'config', '{oops')).status).toBe(400);
    expect((await admin(ctx.sim, 'GET', 'nope')).status).toBe(404);
    expect((await admin(ctx.sim, 'PUT', 'faults')).status).toBe(405);
  });

  it('changes timing knobs for jobs created afterwards', async () => {
    const config = await admin(ctx.sim, 'POST', 'config', {pendingSeconds: [5000, 5000]});
    expect(config.body.pendingSeconds).toEqual([5000, 5000]);
    const job = await createOk(ctx.sim, {labels: {'sim-scenario': 'succeed'}});
    await advance(ctx.sim, 4999);
    expect((await api.get(ctx.sim, job.name)).body.state).toBe('JOB_STATE_PENDING');
    await advance(ctx.sim, 2);
    expect((await api.get(ctx.sim, job.name)).body.state).toBe('JOB_STATE_RUNNING');
  });

  it('counts API requests by target, method and status', async () => {
    await admin(ctx.sim, 'POST', 'reset');
    await api.list(ctx.sim);
    await api.get(ctx.sim, `projects/${PROJECT}/locations/us-central1/nasJobs/1`);
    const stats = (await admin(ctx.sim, 'GET', 'stats')).body;
    expect(stats.total).toBe(2);
    expect(stats.byTarget[`${PROJECT}/us-central1`]).toEqual({'nasJobs.list': 1, 'nasJobs.get': 1});
    expect(stats.byStatus).toEqual({200: 1, 404: 1});
  });

  it('empties everything on reset', async () => {
    await createOk(ctx.sim);
    await admin(ctx.sim, 'POST', 'faults', {kind: 'latency', latencyMs: 1, rate: 1});
    expect((await admin(ctx.sim, 'POST', 'reset')).status).toBe(200);
    expect((await api.list(ctx.sim)).body).toEqual({});
    expect((await admin(ctx.sim, 'GET', 'history')).body.jobs).toEqual([]);
    expect((await admin(ctx.sim, 'GET', 'faults')).body.faults).toEqual([]);
    expect((await admin(ctx.sim, 'GET', 'config')).body.pendingSeconds).toEqual([60, 300]);
    expect((await admin(ctx.sim, 'GET', 'stats')).body.total).toBe(1);
  });
});
