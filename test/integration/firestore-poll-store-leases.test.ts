import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import type {Observation} from '../../shared/core/poll/apply-observation.js';
import {LeaseLostError, type PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';
import {at, JOB, snapshot} from '../unit/core/poll/histories.js';

const projectId = testProjectId(import.meta.url);
const target = {project: 'proj-a', location: 'us-central1'};
const pending: Observation = {kind: 'seen', name: JOB, job: snapshot('JOB_STATE_PENDING', 1)};

describeWithEmulators('FirestorePollStore leases and fencing', () => {
  let firestore: Firestore;
  let time: number;
  let store: PollStore;
  const count = async (path: string) => (await firestore.collection(path).count().get()).data().count;
  const writtenDocs = async () => ({
    jobs: await count('nasJobs'), outbox: await count('nasmonOutbox'), targets: (await firestore.collectionGroup('digest').count().get()).data().count,
    history: (await firestore.collectionGroup('history').count().get()).data().count,
  });

  beforeAll(() => {
    firestore = emulatorFirestore(projectId);
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    time = Date.parse('2026-11-02T09:00:00Z');
    store = createFirestorePollStore({firestore, clock: () => new Date(time)});
  });
  afterAll(async () => {
    await firestore.terminate();
  });

  it('grants a free lease, renews it for its holder and refuses another holder while it is live', async () => {
    expect(await store.acquireLease(target, 'a', 10_000)).toBe(true);
    time += 5_000;
    expect(await store.acquireLease(target, 'a', 10_000)).toBe(true);
    time += 9_000; // past the first expiry, inside the renewed one
    expect(await store.acquireLease(target, 'b', 10_000)).toBe(false);
    const lease = (await firestore.doc('nasmonLeases/proj-a:us-central1').get()).data()!;
    expect(lease.holder).toBe('a');
    expect(lease.expiresAt.toMillis()).toBe(Date.parse('2026-11-02T09:00:15Z'));
  });

  it('lets another holder take over an expired lease', async () => {
    await store.acquireLease(target, 'a', 10_000);
    time += 10_001;
    expect(await store.acquireLease(target, 'b', 10_000)).toBe(true);
    expect(await store.acquireLease(target, 'a', 10_000)).toBe(false);
  });

  it('hands a live lease to a later delivery of the message that started its session, and to no other', async () => {
    expect(await store.acquireLease(target, 'a', 60_000, 'message-1')).toBe(true);
    time += 5_000;
    expect(await store.acquireLease(target, 'b', 60_000, 'message-2')).toBe(false); // another tick's message
    expect(await store.acquireLease(target, 'c', 60_000)).toBe(false); // no delivery named
    expect(await store.acquireLease(target, 'd', 60_000, 'message-1')).toBe(true); // redelivered: a died
    const lease = (await firestore.doc('nasmonLeases/proj-a:us-central1').get()).data()!;
    expect(lease).toMatchObject({holder: 'd', delivery: 'message-1'});
    expect(lease.expiresAt.toMillis()).toBe(Date.parse('2026-11-02T09:01:05Z'));
    // The session it replaced is fenced out: its writes check the lease.
    await expect(store.recordObservations(target, 'a', [pending], '2026-11-02T09:00:05Z')).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('releases only its own lease', async () => {
    await store.acquireLease(target, 'a', 10_000);
    await store.releaseLease(target, 'b');
    expect(await store.acquireLease(target, 'b', 10_000)).toBe(false);
    await store.releaseLease(target, 'a');
    expect(await store.acquireLease(target, 'b', 10_000)).toBe(true);
  });

  it('throws LeaseLostError and writes nothing when the lease was taken over', async () => {
    await store.acquireLease(target, 'a', 10_000);
    time += 20_000;
    await store.acquireLease(target, 'b', 10_000);

    await expect(store.recordObservations(target, 'a', [pending], at(1))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await writtenDocs()).toEqual({jobs: 0, outbox: 0, targets: 0, history: 0});
  });

  it('throws LeaseLostError when its own lease expired or was never taken', async () => {
    await expect(store.recordObservations(target, 'a', [pending], at(1))).rejects.toThrow(/held by nobody/);
    await store.acquireLease(target, 'a', 10_000);
    time += 10_000;
    await expect(store.recordObservations(target, 'a', [pending], at(1))).rejects.toThrow(/expired/);
    expect(await writtenDocs()).toEqual({jobs: 0, outbox: 0, targets: 0, history: 0});
  });

  it('records a change once when the same observation is recorded twice at the same time', async () => {
    await store.acquireLease(target, 'a', 60_000);
    // Two stores stand for two invocations (an overlapping trigger, a redelivered tick) of one holder.
    const other = createFirestorePollStore({firestore, clock: () => new Date(time)});

    const results = await Promise.all([
      store.recordObservations(target, 'a', [pending], at(1)),
      other.recordObservations(target, 'a', [pending], at(1)),
    ]);

    expect(results.flat().map(batch => batch.id)).toEqual([`${JOB}/state/1`.replaceAll('/', '~')]);
    expect(await writtenDocs()).toEqual({jobs: 1, outbox: 1, targets: 1, history: 1});
  });

  it('never lets a stale holder write once a takeover commits, whichever transaction goes first', async () => {
    await store.acquireLease(target, 'a', 10_000);
    time += 10_000 - 1; // a's lease is still live for a's write, and expired for b's clock below
    const late = createFirestorePollStore({firestore, clock: () => new Date(time + 2)});

    const [write, takeover] = await Promise.allSettled([
      store.recordObservations(target, 'a', [pending], at(1)),
      late.acquireLease(target, 'b', 10_000),
    ]);

    expect(takeover).toEqual({status: 'fulfilled', value: true});
    const docs = await writtenDocs();
    if (write.status === 'fulfilled') expect(docs).toEqual({jobs: 1, outbox: 1, targets: 1, history: 1});
    else expect([write.reason, docs]).toEqual([expect.any(LeaseLostError), {jobs: 0, outbox: 0, targets: 0, history: 0}]);
    await expect(store.recordObservations(target, 'a', [pending], at(1))).rejects.toBeInstanceOf(LeaseLostError);
  });
});
