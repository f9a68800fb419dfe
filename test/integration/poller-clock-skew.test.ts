// The poller's clock an hour ahead of Vertex's: a job created and finished between two cycles is
// listed only by the create_time window, which must reach back on Vertex's clock, not ours.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {nodeHttpFetch} from '../../shared/adapters/vertex/node-http-fetch.js';
import {createServerClock, observingServerClock} from '../../shared/adapters/vertex/server-clock.js';
import type {PollCycleDeps} from '../../shared/use-cases/poll/run-poll-cycle.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';
import {simClient} from './vertex-client.support.js';

const projectId = testProjectId(import.meta.url);
const VERTEX_BEHIND_SECONDS = 3600; // far past the 5 min window

describeWithEmulators('a poller whose clock runs an hour ahead of Vertex\'s', () => {
  let f: PollerFixture;
  beforeAll(async () => {
    f = await startPollerFixture(projectId, {clockOffsetSeconds: -VERTEX_BEHIND_SECONDS});
    await f.lease();
  });
  afterAll(async () => f?.close());

  it('still lists a job created and finished between two cycles, by Vertex\'s clock', async () => {
    const clock = createServerClock();
    const {client} = simClient(f.sim, {fetch: observingServerClock(nodeHttpFetch, clock)});
    // The poller's own clock, not the simulator's (the fixture's cycles otherwise share one).
    const local: Partial<PollCycleDeps> = {vertex: client, now: () => new Date()};
    expect(await f.cycle(local)).toMatchObject({sweep: true, listed: 0});
    expect(clock.offsetMs() / 1000).toBeCloseTo(-VERTEX_BEHIND_SECONDS, -2);

    const {names: [name]} = await f.sim.seed(1);
    await f.sim.force(name!, 'JOB_STATE_SUCCEEDED');
    // Measured from our clock alone, the window starts 55 min after the job was created.
    expect(await f.cycle(local)).toMatchObject({sweep: false, listed: 0, observations: 0});
    const withVertexClock = await f.cycle({...local, vertexNow: () => clock.now()});
    expect(withVertexClock).toMatchObject({sweep: false, listed: 1, observations: 1});
    expect((await f.store.readDigest(TARGET)).jobs.get(name!)?.state).toBe('JOB_STATE_SUCCEEDED');
    const events = await f.waitForEvents(1);
    expect(events.map(event => [event.attributes['ce-nasjob'], event.data.state])).toEqual([[name, 'JOB_STATE_SUCCEEDED']]);
  });
});
