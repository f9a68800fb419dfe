// Garbage from the API for one job at a time, injected at the transport: the real simulator answers,
// and a fetch wrapper rewrites that job in its JSON before the client parses it. The job must be
// skipped with a log line naming it and the field, the rest of the cycle recorded, and the mirror
// of the job left exactly as it was.
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {FetchLike} from '../../shared/adapters/vertex/http-transport.js';
import {docIdOf} from '../../shared/adapters/firestore/index.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';
import {simClient} from './vertex-client.support.js';

const projectId = testProjectId(import.meta.url);

type Json = Record<string, unknown>;

/** A fetch that passes every exchange through, except that jobs named in `garbage` are rewritten. */
function garbageFetch(garbage: Map<string, (job: Json) => Json>): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init);
    const text = await response.text();
    const answer = (body: string) => ({status: response.status, headers: response.headers, text: async () => body});
    if (response.status !== 200 || garbage.size === 0) return answer(text);
    const body = JSON.parse(text) as Json;
    const rewrite = (job: Json) => garbage.get(String(job.name))?.(job) ?? job;
    const rewritten = Array.isArray(body.nasJobs) ? {...body, nasJobs: (body.nasJobs as Json[]).map(rewrite)} : rewrite(body);
    return answer(JSON.stringify(rewritten));
  };
}

describeWithEmulators('a poll cycle that meets garbage for some jobs', () => {
  let f: PollerFixture;
  let names: string[];
  const garbage = new Map<string, (job: Json) => Json>();
  const mirror = async (name: string) => (await f.firestore.collection('nasJobs').doc(docIdOf(name)).get()).data();

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    ({names} = (await f.admin('POST', 'jobs:seed', {
      project: TARGET.project, location: TARGET.location, count: 6, scenarioMix: {succeed: 1}, maxTrialCount: 50,
    })) as {names: string[]});
  });
  afterAll(async () => f?.close());

  it('skips each unreadable job with a log line naming it and the field, keeps its mirror, and records the rest', async () => {
    // Arrange: every job recorded as PENDING, then all of them start running.
    await f.cycle();
    const [noName, unknownState, numberTime, stringLabels, ...healthy] = names as [string, string, string, string, ...string[]];
    const victims = [noName, unknownState, numberTime, stringLabels];
    const before = await Promise.all(victims.map(mirror));
    await f.sim.advance(3600);
    garbage.set(noName, ({name: _dropped, ...job}) => job);
    garbage.set(unknownState, job => ({...job, state: 99}));
    garbage.set(numberTime, job => ({...job, createTime: 5}));
    garbage.set(stringLabels, job => ({...job, labels: 'x'}));
    const {client} = simClient(f.sim, {fetch: garbageFetch(garbage), retry: {maxAttempts: 1}});

    // Act
    const report = await f.cycle({vertex: client});

    // Assert: the healthy jobs moved on, the four victims did not, and the log says why for each.
    expect(report).toMatchObject({listed: healthy.length, unreadable: 3});
    for (const name of healthy) expect((await storedHistory(f.firestore, name)).map(e => e.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING']);
    expect(await Promise.all(victims.map(mirror))).toEqual(before);
    for (const name of victims) expect((await storedHistory(f.firestore, name)).map(e => e.state)).toEqual(['JOB_STATE_PENDING']);
    const warned = f.logged('skipping a job');
    expect(warned).toEqual(expect.arrayContaining([
      expect.objectContaining({severity: 'WARNING', job: expect.stringMatching(/^\$\.nasJobs\[\d+\]$/), field: expect.stringMatching(/\.name$/)}),
      expect.objectContaining({job: unknownState, field: 'state', reason: expect.stringContaining('99')}),
      expect.objectContaining({job: numberTime, field: expect.stringMatching(/\.createTime$/)}),
      expect.objectContaining({job: stringLabels, field: expect.stringMatching(/\.labels$/)}),
    ]));
    // The nameless copy cannot be matched to its job, so the job counts as gone from the active set
    // and is read with `get`, which answers the same garbage: logged under its name, not recorded.
    expect(f.logged('could not read a job')).toEqual([expect.objectContaining({job: noName, reason: 'left-active-set'})]);
    await f.waitForEvents(6 + healthy.length);
    await new Promise(resolve => setTimeout(resolve, 300));
    const moved = f.received.filter(event => event.data.state === 'JOB_STATE_RUNNING').map(event => event.attributes['ce-nasjob']);
    expect(moved.sort()).toEqual([...healthy].sort());
  });

  it('records the skipped jobs once the API answers sensibly again', async () => {
    garbage.clear();
    await f.cycle();
    for (const name of names) {
      expect((await storedHistory(f.firestore, name)).map(entry => entry.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING']);
    }
    await f.waitForIds(names.map(name => `${name}/state/2`));
    const stateEvents = f.received.filter(event => event.type === 'nasmon.nasjob.v1.stateChanged').map(event => event.id);
    expect(stateEvents.sort()).toEqual(names.flatMap(name => [`${name}/state/1`, `${name}/state/2`]).sort());
  });
});
