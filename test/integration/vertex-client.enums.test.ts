import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parseNasJobsPage} from '../../shared/core/vertex/parse-list.js';
import {parseNasJob} from '../../shared/core/vertex/parse-nas-job.js';
import {PARENT, simClient, startSim, type Sim} from './vertex-client.support.js';

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
  await sim.config({scenarioMix: {succeed: 1}});
});
afterAll(() => sim.close());

describe('enum encodings from the simulator', () => {
  it('parses numeric enums ($alt=json;enum-encoding=int) to the same job the client reads by name', async () => {
    const [name] = (await sim.seed(1)).names;
    await sim.advance(2 * 3600);
    const {client} = simClient(sim);

    const numeric = await sim.rawGet(`/v1/${name}?$alt=json;enum-encoding=int`);
    const named = await client.getNasJob(name!);

    expect((numeric as {state: unknown}).state).toEqual(expect.any(Number));
    expect(parseNasJob(numeric)).toEqual(named);
  });

  it('parses a numeric-enum list page job by job without failures', async () => {
    await sim.seed(10);
    const page = parseNasJobsPage(await sim.rawGet(`/v1/${PARENT}/nasJobs?$alt=json;enum-encoding=int`));

    expect(page.invalid).toEqual([]);
    expect(page.items.every(job => typeof job.state === 'string')).toBe(true);
  });
});
