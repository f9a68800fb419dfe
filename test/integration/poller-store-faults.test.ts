// Firestore unavailable, at three points of a cycle: from the start, at the commit, and after the
// publish (the outbox cannot be cleared). The "unavailable" Firestore is a real client on a port that
// drops every connection; the SDK retries such calls for about 45 s each (a transaction for minutes),
// so each store call has a deadline (boundedStore, as in production; 1 s here). Afterwards, with the emulator, every transition
// must be delivered: none lost, none doubled in history, duplicates only under the same ce-id.
import {readOutboxBatch} from '../../shared/adapters/firestore/outbox-doc.js';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {boundedStore} from '../../shared/use-cases/poll/bounded-store.js';
import {firestoreAt, startBlackHole, startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';
import {waitForTruth} from './poller-truth.support.js';
import {statsDelta} from './vertex-client.support.js';

const projectId = testProjectId(import.meta.url);
const DEADLINE_MS = 1000;

describeWithEmulators('a poll cycle while Firestore is unavailable', () => {
  let f: PollerFixture;
  let dead: PollStore;
  let hole: Awaited<ReturnType<typeof startBlackHole>>;
  const historyCount = async () => (await f.firestore.collectionGroup('history').get()).size;
  const outboxIds = async () => (await f.firestore.collection('nasmonOutbox').get()).docs
    .flatMap(doc => readOutboxBatch(doc).events.map(event => event.id));

  /** Runs one cycle on `store`, expecting it to fail within the deadline; returns what it cost. */
  async function failingCycle(store: PollStore) {
    await f.sim.advance(600);
    const [history, stats, started] = [await historyCount(), await f.sim.stats(), Date.now()];
    await expect(f.cycle({store})).rejects.toThrow(/deadline|UNAVAILABLE/);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 5000); // not the SDK's ~45 s per call
    return {newHistory: (await historyCount()) - history, vertex: statsDelta(stats, await f.sim.stats()).byMethod};
  }

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    hole = await startBlackHole();
    // Never terminated: terminate() waits for the calls still retrying against the dead port.
    dead = boundedStore(createFirestorePollStore({firestore: firestoreAt(projectId, hole.port), log: f.log}), DEADLINE_MS);
    await f.admin('POST', 'jobs:seed', {...TARGET, count: 20, maxTrialCount: 3, scenarioMix: {'succeed': 0.7, 'fail-capacity': 0.3}});
    await f.cycle();
  });
  afterAll(async () => f?.close());

  it('fails a cycle at its first store call, before asking Vertex anything', async () => {
    const {newHistory, vertex} = await failingCycle(dead);
    expect(newHistory).toBe(0);
    expect(vertex).toEqual({});
  });

  it('fails a cycle whose commit cannot reach Firestore, after listing, and records nothing', async () => {
    const {newHistory, vertex} = await failingCycle({...f.store, recordObservations: dead.recordObservations});
    expect(newHistory).toBe(0);
    expect(vertex['nasJobs.list']).toBe(1);
    expect(await outboxIds()).toEqual([]);
  });

  it('fails a cycle that published but could not clear the outbox; the outbox still holds those events', async () => {
    const receivedBefore = f.received.length;
    const {newHistory} = await failingCycle({...f.store, completeOutbox: dead.completeOutbox});
    expect(newHistory).toBeGreaterThan(0);
    const waiting = await outboxIds();
    expect(waiting.length).toBeGreaterThanOrEqual(newHistory);
    await f.waitForIds(waiting);
    expect(new Set(f.received.slice(receivedBefore).map(event => event.id))).toEqual(new Set(waiting));
  });

  it('delivers every transition once Firestore is back: none lost, none doubled, re-sends under the same ce-id', async () => {
    const resent = (await outboxIds()).filter(id => id.includes('/state/') || id.includes('/deleted/'));
    for (const seconds of [600, 3600]) {
      await f.sim.advance(seconds);
      await f.cycle();
    }
    expect(await outboxIds()).toEqual([]);
    // Cycles that committed: the ones that succeeded, and the third failure (it failed after its commit).
    const instants = [...f.polls.filter(poll => poll.ok).map(poll => poll.at), f.polls[3]!.at];
    const report = await waitForTruth(f, instants);
    expect(report.mismatches).toEqual([]);
    expect(report.duplicateDeliveries).toBe(resent.length);
  });
});
