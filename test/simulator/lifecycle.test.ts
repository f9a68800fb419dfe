import {describe, expect, it} from 'vitest';
import {startSimulator, type RunningSimulator} from '../../simulator/server.js';
import {admin, advance, aJobBody, api, createOk, type JobOverrides, useSimulator} from './support.js';

const ctx = useSimulator();

async function runUntil(sim: RunningSimulator, name: string, done: (job: any) => boolean, stepSeconds = 600, maxSteps = 500): Promise<any> {
  for (let i = 0; i < maxSteps; i++) {
    const job = (await api.get(sim, name)).body;
    if (done(job)) return job;
    await advance(sim, stepSeconds);
  }
  throw new Error(`job ${name} never reached the expected condition`);
}

const isTerminal = (job: any) => ['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(job.state);
const trialsOf = (job: any) => job.nasJobOutput?.multiTrialJobOutput?.searchTrials ?? [];

async function historyOf(sim: RunningSimulator, name: string): Promise<any> {
  return (await admin(sim, 'GET', `history?name=${encodeURIComponent(name)}`)).body.jobs[0];
}

function scenarioJob(scenario: string, overrides: JobOverrides = {}): JobOverrides {
  return {...overrides, labels: {'sim-scenario': scenario}};
}

describe('job lifecycle on the simulated clock', () => {
  it('runs PENDING → RUNNING → SUCCEEDED with trials, measurements and timestamps', async () => {
    const created = await createOk(ctx.sim, scenarioJob('succeed', {maxTrialCount: 6, maxParallelTrialCount: 2}));
    await advance(ctx.sim, 30);
    expect((await api.get(ctx.sim, created.name)).body.state).toBe('JOB_STATE_PENDING');
    const running = await runUntil(ctx.sim, created.name, job => job.state === 'JOB_STATE_RUNNING', 30);
    expect(running.startTime > running.createTime).toBe(true);
    expect(trialsOf(running)).toHaveLength(2);
    expect(running.updateTime >= running.startTime).toBe(true);

    const done = await runUntil(ctx.sim, created.name, isTerminal);
    expect(done.state).toBe('JOB_STATE_SUCCEEDED');
    expect(done.endTime >= done.startTime).toBe(true);
    expect(done).not.toHaveProperty('error');
    const trials = trialsOf(done);
    expect(trials.map((t: any) => t.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const trial of trials) {
      expect(['SUCCEEDED', 'INFEASIBLE']).toContain(trial.state);
      expect(trial.endTime >= trial.startTime).toBe(true);
      if (trial.state === 'INFEASIBLE') expect(trial).not.toHaveProperty('finalMeasurement');
      else {
        expect(trial.finalMeasurement.metrics[0].metricId).toBe('top_1_accuracy');
        expect(trial.finalMeasurement.stepCount).toMatch(/^\d+$/);
        expect(trial.finalMeasurement.elapsedDuration).toMatch(/^\d+(\.\d+)?s$/);
      }
    }
    const history = await historyOf(ctx.sim, created.name);
    expect(history.states.map((s: any) => s.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    expect(history.states[1].time).toBe(done.startTime);
    expect(history.states[2].time).toBe(done.endTime);
    expect(maxConcurrent(history.trials)).toBe(2);
    const lastChange = [...history.states, ...history.trials.flatMap((t: any) => t.states)].map(s => s.time).sort().pop();
    expect(done.updateTime).toBe(lastChange);
  });

  it.each(['MAXIMIZE', 'MINIMIZE'] as const)('improves the metric noisily over trials when the goal is %s', async goal => {
    const created = await createOk(ctx.sim, scenarioJob('succeed', {maxTrialCount: 40, maxParallelTrialCount: 5, goal}));
    const done = await runUntil(ctx.sim, created.name, isTerminal, 3600);
    const values = trialsOf(done).filter((t: any) => t.finalMeasurement).map((t: any) => t.finalMeasurement.metrics[0].value);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [early, late] = [mean(values.slice(0, 8)), mean(values.slice(-8))];
    if (goal === 'MAXIMIZE') expect(late).toBeGreaterThan(early);
    else expect(late).toBeLessThan(early);
  });

  it('trains the top-N search trials every `frequency` trials before succeeding', async () => {
    const search = aJobBody().nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec;
    const trainTrialSpec = {trainTrialJobSpec: search, maxParallelTrialCount: 2, frequency: 3};
    const created = await createOk(ctx.sim, scenarioJob('succeed', {maxTrialCount: 6, maxParallelTrialCount: 3, trainTrialSpec}));
    const done = await runUntil(ctx.sim, created.name, isTerminal);
    expect(done.state).toBe('JOB_STATE_SUCCEEDED');
    const train = done.nasJobOutput.multiTrialJobOutput.trainTrials;
    expect(train.length).toBeGreaterThanOrEqual(2);
    const searchIds = new Set(trialsOf(done).map((t: any) => t.id));
    for (const trial of train) {
      expect(searchIds.has(trial.id)).toBe(true);
      expect(trial.state).toBe('SUCCEEDED');
      expect(trial.endTime <= done.endTime).toBe(true);
    }
  });

  it('fails a job PENDING → FAILED on regional capacity, with code 8 and no startTime', async () => {
    const created = await createOk(ctx.sim, scenarioJob('fail-capacity'));
    const done = await runUntil(ctx.sim, created.name, isTerminal, 120);
    expect(done.state).toBe('JOB_STATE_FAILED');
    expect(done.error).toEqual({code: 8, message: 'Resources are insufficient in region: us-central1'});
    expect(done).not.toHaveProperty('startTime');
    expect(done.endTime).toBeDefined();
    expect((await historyOf(ctx.sim, created.name)).states.map((s: any) => s.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_FAILED']);
  });

  it('fails a job whose failed trials exceed maxFailedTrialCount', async () => {
    const created = await createOk(ctx.sim, scenarioJob('fail-trials', {maxTrialCount: 30, maxParallelTrialCount: 3, maxFailedTrialCount: 2}));
    const done = await runUntil(ctx.sim, created.name, isTerminal);
    expect(done.state).toBe('JOB_STATE_FAILED');
    expect(done.error.code).toBe(9);
    expect(done.error.message).toContain('maxFailedTrialCount');
    const infeasible = trialsOf(done).filter((t: any) => t.state === 'INFEASIBLE');
    expect(infeasible.length).toBeGreaterThan(2);
    expect(trialsOf(done).every((t: any) => ['SUCCEEDED', 'INFEASIBLE'].includes(t.state))).toBe(true);
  });

  it('keeps stuck-pending jobs PENDING and stuck-running jobs RUNNING for a simulated month', async () => {
    const pending = await createOk(ctx.sim, scenarioJob('stuck-pending'));
    const running = await createOk(ctx.sim, scenarioJob('stuck-running'));
    await advance(ctx.sim, 30 * 86400);
    expect((await api.get(ctx.sim, pending.name)).body.state).toBe('JOB_STATE_PENDING');
    const stuck = (await api.get(ctx.sim, running.name)).body;
    expect(stuck.state).toBe('JOB_STATE_RUNNING');
    expect(trialsOf(stuck).every((t: any) => t.state === 'ACTIVE')).toBe(true);
  });

  it('runs slow jobs ten times slower', async () => {
    const slow = await createOk(ctx.sim, scenarioJob('slow'));
    await advance(ctx.sim, 400);
    expect((await api.get(ctx.sim, slow.name)).body.state).toBe('JOB_STATE_PENDING');
    expect((await runUntil(ctx.sim, slow.name, isTerminal, 3600)).state).toBe('JOB_STATE_SUCCEEDED');
  });

  it('passes through QUEUED when the simulator starts jobs QUEUED', async () => {
    const sim = await startSimulator({initialState: 'JOB_STATE_QUEUED', timeScale: 0});
    try {
      const created = await createOk(sim, scenarioJob('succeed'));
      await runUntil(sim, created.name, isTerminal);
      const states = (await historyOf(sim, created.name)).states.map((s: any) => s.state);
      expect(states).toEqual(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    } finally {
      await sim.close();
    }
  });

  it('moves jobs along in real time at timeScale 600 (ten simulated minutes per second)', async () => {
    const sim = await startSimulator({timeScale: 600});
    try {
      // Pending lasts at most 5 simulated minutes; ten waves of trials take at least 50.
      const created = await createOk(sim, scenarioJob('succeed', {maxTrialCount: 20, maxParallelTrialCount: 2}));
      await new Promise(resolve => setTimeout(resolve, 700));
      expect((await api.get(sim, created.name)).body.state).toBe('JOB_STATE_RUNNING');
    } finally {
      await sim.close();
    }
  });

  it('replays the same timeline for the same seed and operations', async () => {
    const timeline = async () => {
      const sim = await startSimulator({seed: 42, timeScale: 0});
      try {
        for (let i = 0; i < 4; i++) await api.create(sim, aJobBody({labels: {team: 'x'}}));
        await advance(sim, 10 * 3600);
        const {jobs} = (await admin(sim, 'GET', 'history')).body;
        return jobs.map((job: any) => relativeTimeline(job));
      } finally {
        await sim.close();
      }
    };
    expect(await timeline()).toEqual(await timeline());
  });
});

/** The largest number of trials that were REQUESTED/ACTIVE/STOPPING at the same moment. */
function maxConcurrent(trials: any[]): number {
  const edges = trials.flatMap((t: any) => {
    const end = t.states.find((s: any) => s.state === 'SUCCEEDED' || s.state === 'INFEASIBLE');
    return [[t.states[0].time, 1], ...(end ? [[end.time, -1]] : [])] as [string, number][];
  });
  edges.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1));
  let current = 0;
  let max = 0;
  for (const [, delta] of edges) max = Math.max(max, (current += delta));
  return max;
}

function relativeTimeline(job: any): unknown {
  const origin = Date.parse(job.states[0].time);
  const rel = (states: any[]) => states.map((s: any) => [s.state, Date.parse(s.time) - origin]);
  return {states: rel(job.states), trials: job.trials.map((t: any) => [t.stage, t.id, rel(t.states)])};
}
