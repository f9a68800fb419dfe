// Vertex failing in the middle of a paginated list: 250 jobs (three pages of 100), and a fault armed
// in the simulator the moment page 1 has been answered, so page 2 fails on every attempt. A cycle
// with an incomplete list must record nothing (a partial list would make every job on the missing
// pages look gone); later cycles must record every transition, none lost and none doubled.
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {FetchLike} from '../../shared/adapters/vertex/http-transport.js';
import {retryDelayOf} from '../../shared/core/vertex/vertex-api-error.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';
import {waitForTruth} from './poller-truth.support.js';
import {simClient, statsDelta, type FaultRule} from './vertex-client.support.js';

const projectId = testProjectId(import.meta.url);
const ATTEMPTS = 3;

describeWithEmulators('a poll cycle whose list fails after page 1', () => {
  let f: PollerFixture;
  let armed: FaultRule | undefined;
  /** Installs `armed` in the simulator once the first page of a list has been answered. */
  const armingFetch: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    const {pathname, searchParams} = new URL(url);
    if (armed && pathname.endsWith('/nasJobs') && !searchParams.has('pageToken')) {
      await f.sim.fault(armed);
      armed = undefined;
    }
    return response;
  };
  type Client = ReturnType<typeof simClient>['client'];
  let client: Client;
  let impatient: Client; // for the timeout case only: a short timeout would also cut slow gets elsewhere
  const historyCount = async () => (await f.firestore.collectionGroup('history').get()).size;

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    await f.sim.quota({readsPerMinute: 1e6});
    await f.admin('POST', 'jobs:seed', {...TARGET, count: 250, maxTrialCount: 3, maxParallelTrialCount: 2, scenarioMix: {'succeed': 0.7, 'fail-capacity': 0.15, 'stuck-pending': 0.15}});
    const retry = {maxAttempts: ATTEMPTS, baseDelayMs: 5, maxDelayMs: 20, maxServerDelayMs: 5000};
    ({client} = simClient(f.sim, {fetch: armingFetch, retry}));
    ({client: impatient} = simClient(f.sim, {fetch: armingFetch, retry, timeoutMs: 400}));
    const first = await f.cycle({vertex: client});
    expect(first).toMatchObject({listed: 250, observations: 250, sweep: true});
    // Every event of that first cycle delivered before a test counts the events it must not add.
    expect((await f.waitForEvents(first.published, 30_000)).length).toBeGreaterThanOrEqual(first.published);
  });
  afterAll(async () => f?.close());

  it.each<[string, FaultRule, (error: unknown) => void]>([
    ['503 UNAVAILABLE', {kind: 'unavailable', count: ATTEMPTS}, error => expect(error).toMatchObject({httpStatus: 503, status: 'UNAVAILABLE'})],
    ['429 RESOURCE_EXHAUSTED', {kind: 'rate-limit', count: ATTEMPTS, retryDelaySeconds: 1}, error => {
      expect(error).toMatchObject({httpStatus: 429, status: 'RESOURCE_EXHAUSTED'});
      expect(retryDelayOf(error)).toBe(1000);
    }],
    ['504 DEADLINE_EXCEEDED', {kind: 'deadline', count: ATTEMPTS}, error => expect(error).toMatchObject({httpStatus: 504})],
    ['a client timeout', {kind: 'latency', latencyMs: 700, count: ATTEMPTS}, error => expect(error).toMatchObject({failure: 'timeout'})],
    // Node's fetch may resend a GET whose reused connection was reset, so allow for twice the resets.
    ['a connection reset', {kind: 'reset', count: 2 * ATTEMPTS}, error => expect(error).toMatchObject({failure: 'network'})],
    ['a truncated page', {kind: 'truncate', count: ATTEMPTS}, error => expect(error).toMatchObject({failure: 'truncated'})],
  ])('fails the whole cycle on %s at page 2 and records nothing', async (_, rule, check) => {
    await f.sim.advance(240); // changes enough to record, were the poller to record a partial list
    const [historyBefore, statsBefore, eventsBefore] = [await historyCount(), await f.sim.stats(), f.received.length];
    armed = rule;
    const error = await f.cycle({vertex: rule.kind === 'latency' ? impatient : client}).then(() => undefined, (e: unknown) => e);
    check(error);
    await f.sim.clearFaults();
    // Page 1, then page 2 until the client gave up; not a single get was made.
    const delta = statsDelta(statsBefore, await f.sim.stats());
    expect(Object.keys(delta.byMethod)).toEqual(['nasJobs.list']);
    expect(delta.byMethod['nasJobs.list']).toBeGreaterThanOrEqual(2);
    expect(await historyCount()).toBe(historyBefore);
    expect((await f.firestore.collection('nasmonOutbox').get()).size).toBe(0);
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(f.received.length).toBe(eventsBefore);
  });

  it('completes a cycle whose page 2 fails fewer times than the client retries', async () => {
    await f.sim.advance(240);
    armed = {kind: 'unavailable', count: ATTEMPTS - 1};
    const report = await f.cycle({vertex: client});
    expect(report.listed).toBeGreaterThan(200);
    expect(report.observations).toBeGreaterThan(0);
  });

  it('records every true transition afterwards: none lost, none doubled', async () => {
    await f.sim.advance(900);
    await f.cycle({vertex: client});
    await f.sim.advance(900);
    await f.cycle({vertex: client}, {sweepEveryMs: 0});
    const instants = f.polls.filter(poll => poll.ok).map(poll => poll.at);
    expect(f.polls.filter(poll => !poll.ok)).toHaveLength(6);
    const report = await waitForTruth(f, instants);
    expect(report.mismatches).toEqual([]);
    expect(report).toMatchObject({jobs: 250, duplicateDeliveries: 0});
    expect(report.transitions).toBeGreaterThan(250 * 2);
  });
});
