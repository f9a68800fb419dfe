import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {createFirestorePollStore, MAX_OUTBOX_DOC_BYTES} from '../../shared/adapters/firestore/index.js';
import {OWN_PUBLISH_CLAIM_MS, toOutboxDocs} from '../../shared/adapters/firestore/outbox-doc.js';
import type {Observation} from '../../shared/core/poll/apply-observation.js';
import type {NasJob} from '../../shared/core/vertex/index.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';
import {at, JOB, snapshot} from '../unit/core/poll/histories.js';

const projectId = testProjectId(import.meta.url);
const target = {project: 'proj-a', location: 'us-central1'};
const other = {project: 'proj-b', location: 'europe-west4'};
const seen = (job: NasJob): Observation => ({kind: 'seen', name: job.name, job});
const named = (job: NasJob, n: number, t = target): NasJob =>
  ({...job, name: `projects/123/locations/${t.location}/nasJobs/${2000 + n}`});

describeWithEmulators('FirestorePollStore outbox and digest upkeep', () => {
  let firestore: Firestore;
  let store: PollStore;

  beforeAll(() => {
    firestore = emulatorFirestore(projectId);
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    store = createFirestorePollStore({firestore});
    await store.acquireLease(target, 'p', 60_000);
    await store.acquireLease(other, 'p', 60_000);
  });
  afterAll(async () => {
    await firestore.terminate();
  });

  it('lists pending batches of one target oldest first, up to the limit, until they are completed', async () => {
    const written = [];
    for (const n of [3, 1, 2]) written.push(...await store.recordObservations(target, 'p', [seen(named(snapshot('JOB_STATE_PENDING', 1), n))], at(1)));
    await store.recordObservations(other, 'p', [seen(named(snapshot('JOB_STATE_PENDING', 1), 9, other))], at(1));

    expect((await store.pendingOutbox(target, 2)).map(b => b.id)).toEqual(written.slice(0, 2).map(b => b.id));
    const all = await store.pendingOutbox(target, 10);
    expect(all).toEqual(written);

    await store.completeOutbox([written[0]!.id, written[2]!.id]);
    expect((await store.pendingOutbox(target, 10)).map(b => b.id)).toEqual([written[1]!.id]);
    expect(await store.pendingOutbox(other, 10)).toHaveLength(1);
  });

  it('leaves a document its writer publishes itself alone until the claim runs out', async () => {
    const [own] = await store.recordObservations(target, 'p', [seen(named(snapshot('JOB_STATE_PENDING', 1), 1))], at(1));
    // What enforce and the gate write: an event they publish right after their commit.
    const clock = {now: new Date('2026-11-02T10:00:00Z')};
    const claimed = toOutboxDocs(own!.events.map(e => ({...e, id: `${e.id}/enforce`})), 'proj-a:us-central1', 0, new Date(clock.now.getTime() + OWN_PUBLISH_CLAIM_MS));
    await firestore.collection('nasmonOutbox').doc(claimed[0]!.batch.id).set(claimed[0]!.data);
    const timed = createFirestorePollStore({firestore, clock: () => clock.now});

    expect((await timed.pendingOutbox(target, 10)).map(b => b.id)).toEqual([own!.id]);
    clock.now = new Date(clock.now.getTime() + OWN_PUBLISH_CLAIM_MS + 1);
    expect((await timed.pendingOutbox(target, 10)).map(b => b.id).sort()).toEqual([own!.id, claimed[0]!.batch.id].sort());
  });

  it('reads back events exactly as they were built', async () => {
    const [batch] = await store.recordObservations(target, 'p', [seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], at(3));
    const [pending] = await store.pendingOutbox(target, 1);
    expect(pending).toEqual(JSON.parse(JSON.stringify(batch)));
    expect(pending!.events[0]!.data).toMatchObject({state: 'JOB_STATE_RUNNING', sequence: 1, job: {name: JOB}});
  });

  it('stores the events as one JSON string, and still reads documents of earlier versions (events as maps, data as text)', async () => {
    const [batch] = await store.recordObservations(target, 'p', [seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], at(3));
    const stored = (await firestore.collection('nasmonOutbox').doc(batch!.id).get()).data()!;
    expect(Object.keys(stored).sort()).toEqual(['createdAt', 'eventsJson', 'seq', 'targetKey']);
    expect(JSON.parse(stored['eventsJson'] as string)).toEqual(JSON.parse(JSON.stringify(batch!.events)));

    const earlier = batch!.events.map(event => ({...event, id: `${event.id}/earlier`, data: JSON.stringify(event.data)}));
    const {eventsJson: _, ...rest} = stored;
    await firestore.collection('nasmonOutbox').doc('earlier').set({...rest, seq: 1, events: earlier});

    const pending = await store.pendingOutbox(target, 10);
    expect(pending.map(b => b.id)).toEqual([batch!.id, 'earlier']);
    expect(pending[1]!.events).toEqual(JSON.parse(JSON.stringify(batch!.events.map(event => ({...event, id: `${event.id}/earlier`})))));
  });

  it('spreads the events of a job with thousands of trials over several outbox documents, in order', async () => {
    const trials = Array.from({length: 1500}, (_, i): [string, string, number] => [String(i + 1), 'SUCCEEDED', i / 1500]);
    const job = snapshot('JOB_STATE_RUNNING', 30, {started: 2, trials});

    const batches = await store.recordObservations(target, 'p', [seen(job)], at(30));

    expect(batches.length).toBeGreaterThan(1);
    const events = batches.flatMap(b => b.events);
    expect(events).toHaveLength(1 + 1500 + 1); // state, one per trial, best improved
    expect(events.map(e => e.type).slice(0, 2)).toEqual(['nasmon.nasjob.v1.stateChanged', 'nasmon.nasjob.v1.trialChanged']);
    for (const doc of (await firestore.collection('nasmonOutbox').get()).docs) {
      expect(Buffer.byteLength(doc.get('eventsJson') as string)).toBeLessThan(MAX_OUTBOX_DOC_BYTES + 10_000);
    }
    expect((await store.pendingOutbox(target, 100)).flatMap(b => b.events.map(e => e.id))).toEqual(events.map(e => e.id));
  });

  it('notes trial reads, ignores one for an untracked job, and keeps them across later recordings', async () => {
    await store.recordObservations(target, 'p', [seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], at(3));
    const untracked = 'projects/123/locations/us-central1/nasJobs/77';

    await store.markTrialsRead(target, [JOB, untracked], at(4));
    await store.recordObservations(target, 'p', [seen(snapshot('JOB_STATE_RUNNING', 5, {started: 2, trials: [['1', 'ACTIVE']]}))], at(5));

    const digest = await store.readDigest(target);
    expect([...digest.jobs.keys()]).toEqual([JOB]);
    expect(digest.jobs.get(JOB)).toEqual({
      name: JOB, state: 'JOB_STATE_RUNNING', sequence: 1, updateTime: at(5), trialsUpdateTime: at(5), trialsReadAt: at(4),
    });
  });

  it('saves scan times without touching the entries, and prunes entries by name', async () => {
    const jobs = [1, 2, 3].map(n => named(snapshot('JOB_STATE_SUCCEEDED', 9, {started: 2, ended: 9}), n));
    await store.recordObservations(target, 'p', jobs.map(seen), at(9));

    await store.saveScanTimes(target, {lastListTime: at(10)});
    await store.saveScanTimes(target, {lastSweepTime: at(11)});
    await store.pruneDigest(target, [jobs[0]!.name, jobs[2]!.name]);

    const digest = await store.readDigest(target);
    expect(digest).toMatchObject({lastListTime: at(10), lastSweepTime: at(11)});
    expect([...digest.jobs.keys()]).toEqual([jobs[1]!.name]);
    // A pruned entry takes its trials read time along: a job tracked again starts unread.
    await store.markTrialsRead(target, [jobs[0]!.name], at(12));
    await store.pruneDigest(target, [jobs[0]!.name]);
    await store.recordObservations(target, 'p', [seen(named(snapshot('JOB_STATE_SUCCEEDED', 13, {started: 2, ended: 9}), 1))], at(13));
    expect((await store.readDigest(target)).jobs.get(jobs[0]!.name)?.trialsReadAt).toBeUndefined();
    expect((await store.recordedJobs(target)).map(job => job.name).sort()).toEqual(jobs.map(j => j.name).sort()); // pruned jobs stay mirrored
  });

  it('reads an empty digest for a target never polled', async () => {
    expect(await store.readDigest({project: 'proj-c', location: 'asia-east1'})).toEqual({jobs: new Map()});
  });
});
