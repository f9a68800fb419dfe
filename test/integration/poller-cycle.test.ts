import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('a poll cycle against the simulator and the emulators', () => {
  let f: PollerFixture;
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
  });
  afterAll(async () => f?.close());

  it('records first-seen jobs, publishes their events and then stays quiet', async () => {
    const {names} = await f.sim.seed(5);
    const first = await f.cycle();
    expect(first).toMatchObject({listed: 5, observations: 5, published: 5, unpublished: 0, sweep: true});
    const events = await f.waitForEvents(5);
    expect(events.map(event => event.type)).toEqual(Array(5).fill('nasmon.nasjob.v1.stateChanged'));
    expect(new Set(events.map(event => event.attributes['ce-nasjob']))).toEqual(new Set(names));
    const event = events[0]!;
    expect(event.attributes).toMatchObject({'ce-specversion': '1.0', 'ce-state': 'JOB_STATE_PENDING', 'ce-type': 'nasmon.nasjob.v1.stateChanged'});
    expect(event.attributes['ce-previousstate']).toBeUndefined();
    expect(event.orderingKey).toBe(event.attributes['ce-nasjob']);
    expect(event.data).toMatchObject({previousState: null, state: 'JOB_STATE_PENDING', sequence: 1, skipped: false, dwellSeconds: null});
    expect((event.data.job as {nasJobOutput?: unknown}).nasJobOutput).toBeUndefined();

    const quiet = await f.cycle();
    expect(quiet).toMatchObject({observations: 0, reads: 0, published: 0, sweep: false});
  });

  it('follows jobs through their lifecycle with trials, and history matches the events', async () => {
    await f.sim.advance(3600);
    const report = await f.cycle();
    expect(report.observations).toBeGreaterThan(0);
    await f.sim.advance(24 * 3600);
    await f.cycle();
    await f.cycle(); // terminal states of jobs read via get in the previous cycle
    await new Promise(resolve => setTimeout(resolve, 1500));
    const byJob = new Map<string, string[]>();
    for (const event of f.received.filter(e => e.type === 'nasmon.nasjob.v1.stateChanged')) {
      byJob.set(event.attributes['ce-nasjob']!, [...(byJob.get(event.attributes['ce-nasjob']!) ?? []), event.data.state as string]);
    }
    for (const [name, states] of byJob) {
      const history = await storedHistory(f.firestore, name);
      expect(history.map(entry => entry.state)).toEqual(states);
      expect(history.map(entry => entry.sequence)).toEqual(states.map((_, i) => i + 1));
    }
    expect(f.received.some(e => e.type === 'nasmon.nasjob.v1.trialChanged')).toBe(true);
    expect(f.received.some(e => e.type === 'nasmon.nasjob.v1.bestImproved')).toBe(true);
    const ids = f.received.map(e => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not observe again the finished jobs a sweep lists after they left the digest', async () => {
    await f.cycle();
    await f.cycle(); // every job finished a day ago: by now none is left in the digest
    const response = await fetch(`${f.sim.url}/v1/projects/${TARGET.project}/locations/${TARGET.location}/nasJobs?pageSize=100`);
    const {nasJobs} = (await response.json()) as {nasJobs: Array<{state: string}>};
    expect(nasJobs.map(job => job.state).filter(state => !['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(state))).toEqual([]);
    const sweep = await f.cycle({}, {sweepEveryMs: 0});
    expect(sweep).toMatchObject({sweep: true, listed: 5, observations: 0, reads: 0, published: 0});
  });

  it('records a burst of new jobs over several cycles when it exceeds the cap, each once', async () => {
    const {names} = await f.sim.seed(7);
    const fresh = new Set(names);
    const firstSightings = () => f.received.filter(e => fresh.has(e.attributes['ce-nasjob']!) && e.data.sequence === 1);
    const capped = {maxNewJobsPerCycle: 3};
    const reports = [await f.cycle({}, capped), await f.cycle({}, capped), await f.cycle({}, capped), await f.cycle({}, capped)];
    expect(reports.map(r => [r.observations, r.deferredNew])).toEqual([[3, 4], [3, 1], [1, 0], [0, 0]]);
    for (const deadline = Date.now() + 10_000; firstSightings().length < 7 && Date.now() < deadline;) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    await new Promise(resolve => setTimeout(resolve, 300)); // room for a stray duplicate to show
    const seenJobs = firstSightings().map(e => e.attributes['ce-nasjob']);
    expect(new Set(seenJobs)).toEqual(fresh);
    expect(seenJobs).toHaveLength(7);
  });
});
