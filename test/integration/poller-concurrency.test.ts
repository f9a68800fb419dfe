// Two pollers on one target at once: overlapping sessions (two invocations), and the same cycle run
// twice at once (a redelivered poll-targets message under the same lease holder). Each transition
// must be recorded once and carry one event id; a duplicate delivery is only allowed with that id.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {runPollSession, type SessionOutcome} from '../../shared/use-cases/poll/run-poll-session.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {DEFAULT_SETTINGS, startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';
import {stateEventsByJob} from './poller-truth.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('two pollers on one target at once', () => {
  let f: PollerFixture;
  let names: string[];
  const histories = async () => Promise.all(names.map(async name => (await storedHistory(f.firestore, name)).map(e => e.state)));
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    ({names} = (await f.admin('POST', 'jobs:seed', {...TARGET, count: 5, scenarioMix: {succeed: 1}, maxTrialCount: 30})) as {names: string[]});
  });
  afterAll(async () => f?.close());

  it('lets one of two overlapping sessions poll and sends the other away with lease-held', async () => {
    // The winner's second cycle waits until the loser has given up, so the sessions truly overlap;
    // then its clock jumps past the session's end, so that second cycle is its last.
    let loserDone!: () => void;
    const loserGone = new Promise<void>(resolve => (loserDone = resolve));
    let jumpMs = 0;
    const session = (holder: string) => runPollSession(TARGET, {
      ...f.deps, now: () => new Date(Date.now() + jumpMs), holder,
      sleep: () => Promise.race([loserGone, new Promise<void>(resolve => setTimeout(resolve, 3000))]),
    }, {...DEFAULT_SETTINGS, sessionMs: 15_000, intervalMs: 1000}).then((outcome): SessionOutcome => {
      if (outcome.kind === 'lease-held') {
        jumpMs = 60_000;
        loserDone();
      }
      return outcome;
    });
    const outcomes = await Promise.all([session('invocation-a'), session('invocation-b')]);
    expect(outcomes.map(outcome => outcome.kind).sort()).toEqual(['done', 'lease-held']);
    const done = outcomes.find(outcome => outcome.kind === 'done');
    expect(done).toMatchObject({failures: 0, leaseLost: false, cycles: [{observations: 5}, {observations: 0}]});
    expect(f.logged('target is being polled by another invocation')).toHaveLength(1);
    expect(await histories()).toEqual(names.map(() => ['JOB_STATE_PENDING']));
    expect((await f.firestore.collection('nasmonLeases').get()).size).toBe(0); // released at the end
  });

  it('records a change seen by two concurrent cycles of one holder once, under one event id', async () => {
    await f.lease();
    await f.sim.advance(600); // every job starts running
    // Both cycles list the same changes, then enter their transactions together (a barrier).
    let arrived = 0;
    let bothThere!: () => void;
    const barrier = new Promise<void>(resolve => (bothThere = resolve));
    const store: PollStore = {
      ...f.store,
      async recordObservations(...args) {
        if (++arrived === 2) bothThere();
        await barrier;
        return f.store.recordObservations(...args);
      },
    };
    const [a, b] = await Promise.all([f.cycle({store}), f.cycle({store})]);
    // The transactions re-read the stored records, so the one that committed second (after the
    // emulator aborted and the SDK retried it) found nothing left to record.
    expect(a.observations + b.observations).toBe(10);
    expect(a.batches + b.batches).toBe(5);
    await f.waitForIds(names.map(name => `${name}/state/2`));
    expect(await histories()).toEqual(names.map(() => ['JOB_STATE_PENDING', 'JOB_STATE_RUNNING']));
    const {byJob, duplicates} = stateEventsByJob(f.received);
    for (const name of names) expect(byJob.get(name)!.map(event => event.id)).toEqual([`${name}/state/1`, `${name}/state/2`]);
    // Both cycles drained the outbox at their start, before either committed: nothing to send twice.
    expect(duplicates).toBe(0);
  });

  it('re-publishes under the same ids when a redelivered cycle starts between another one\'s commit and publish', async () => {
    await f.sim.advance(7 * 24 * 3600); // every search finishes
    let late: Promise<unknown> | undefined;
    const firstStore: PollStore = {
      ...f.store,
      async recordObservations(...args) {
        const batches = await f.store.recordObservations(...args);
        late = f.cycle(); // the redelivery: it finds this commit's outbox and publishes it at once
        await late;
        return batches;
      },
    };
    const first = await f.cycle({store: firstStore});
    const second = (await late) as Awaited<ReturnType<PollerFixture['cycle']>>;
    expect(second).toMatchObject({observations: 0, published: first.published});
    const ids = names.map(name => `${name}/state/3`);
    await f.waitForIds(ids, {quietMs: 1000});
    expect(await histories()).toEqual(names.map(() => ['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']));
    // Every event of that commit went out twice (once per cycle), always under its one ce-id.
    const {duplicates} = stateEventsByJob(f.received);
    expect(duplicates).toBe(names.length);
    for (const id of ids) expect(f.received.filter(event => event.id === id)).toHaveLength(2);
    const sequences = new Map<string, Set<string>>();
    for (const event of f.received) {
      if (!event.type.endsWith('stateChanged')) continue;
      const key = `${event.attributes['ce-nasjob']}#${String(event.data.sequence)}`;
      sequences.set(key, (sequences.get(key) ?? new Set()).add(event.id));
    }
    expect([...sequences.values()].every(set => set.size === 1)).toBe(true);
  });
});
