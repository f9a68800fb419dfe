import {DIGEST_SHARDS, digestShardOf, jobIdOf, RECORD_RETENTION_MS} from '../../shared/adapters/firestore/collections.js';
import {afterAll, beforeAll, beforeEach, expect, it, vi} from 'vitest';
import {DocumentReference, Firestore, Query, Timestamp, Transaction} from '@google-cloud/firestore';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import type {Observation} from '../../shared/core/poll/apply-observation.js';
import {parseNasJob, type NasJob} from '../../shared/core/vertex/index.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';
import {at, JOB, snapshot} from '../unit/core/poll/histories.js';

const projectId = testProjectId(import.meta.url);
const target = {project: 'proj-a', location: 'us-central1'};
const HOLDER = 'poller-1';
const seen = (job: NasJob): Observation => ({kind: 'seen', name: job.name, job});
const jobNamed = (n: number, state = 'JOB_STATE_PENDING', minute = 0): NasJob =>
  ({...snapshot(state, minute), name: JOB.replace(/\d+$/, String(1000 + n))});

describeWithEmulators('FirestorePollStore recording', () => {
  let firestore: Firestore;
  let store: PollStore;
  const jobDoc = (name: string) => firestore.collection('nasJobs').doc(name.replaceAll('/', '~'));
  const history = async (name: string) => (await jobDoc(name).collection('history').orderBy('sequence').get()).docs.map(d => d.data());
  const outboxCount = async () => (await firestore.collection('nasmonOutbox').count().get()).data().count;
  const record = (observations: Observation[], minute: number) => store.recordObservations(target, HOLDER, observations, at(minute));

  beforeAll(() => {
    firestore = emulatorFirestore(projectId);
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    store = createFirestorePollStore({firestore});
    expect(await store.acquireLease(target, HOLDER, 60_000)).toBe(true);
  });
  afterAll(async () => {
    await firestore.terminate();
  });

  it('writes the mirror, a history entry, an outbox batch and a digest entry for a first sighting', async () => {
    const job = snapshot('JOB_STATE_PENDING', 1);
    const batches = await record([seen(job)], 1);

    expect(batches).toHaveLength(1);
    expect(batches[0]!.id).toBe(`${JOB}/state/1`.replaceAll('/', '~'));
    expect(batches[0]!.events.map(e => e.type)).toEqual(['nasmon.nasjob.v1.stateChanged']);
    const doc = (await jobDoc(JOB).get()).data()!;
    expect(doc).toMatchObject({
      name: JOB, state: 'JOB_STATE_PENDING', sequence: 1, deleted: false, project: 'proj-a', location: 'us-central1',
      targetKey: 'proj-a:us-central1', jobId: '4417291937424343040', displayName: 'mnasnet-search',
      labels: {team: 'vision'}, team: 'vision', updateTime: at(1),
    });
    expect(doc.createTime).toEqual(Timestamp.fromDate(new Date(at(0))));
    expect(doc.updatedAt).toBeInstanceOf(Timestamp);
    expect(JSON.parse(doc.jobJson as string)).toEqual(JSON.parse(JSON.stringify(job)));
    expect(JSON.parse(doc.stagesJson as string)).toEqual({});
    expect(await history(JOB)).toEqual([expect.objectContaining({sequence: 1, state: 'JOB_STATE_PENDING', previousState: null, name: JOB})]);
    const [entry] = (await jobDoc(JOB).collection('history').get()).docs;
    expect(entry!.get('expireAt')).toEqual(Timestamp.fromMillis(Date.parse(at(1)) + RECORD_RETENTION_MS)); // for the TTL policy
    const digest = await store.readDigest(target);
    expect([...digest.jobs.values()]).toEqual([{name: JOB, state: 'JOB_STATE_PENDING', sequence: 1, updateTime: at(1)}]);
  });

  it('writes nothing when the same observation is recorded again', async () => {
    await record([seen(snapshot('JOB_STATE_PENDING', 1))], 1);
    const shard = firestore.doc(`nasmonTargets/proj-a:us-central1/digest/${digestShardOf(jobIdOf(JOB))}`);
    const before = await Promise.all([jobDoc(JOB).get(), shard.get()]);

    expect(await record([seen(snapshot('JOB_STATE_PENDING', 1))], 2)).toEqual([]);

    const after = await Promise.all([jobDoc(JOB).get(), shard.get()]);
    expect(after.map(s => s.updateTime)).toEqual(before.map(s => s.updateTime));
    expect(await history(JOB)).toHaveLength(1);
    expect(await outboxCount()).toBe(1);
  });

  it('appends history entry 2 and announces the change when the state changes', async () => {
    await record([seen(snapshot('JOB_STATE_PENDING', 1))], 1);
    const batches = await record([seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], 3);

    expect(batches.map(b => b.events[0]!.attributes)).toEqual([expect.objectContaining({
      'ce-id': `${JOB}/state/2`, 'ce-state': 'JOB_STATE_RUNNING', 'ce-previousstate': 'JOB_STATE_PENDING',
    })]);
    expect((await history(JOB)).map(h => [h.sequence, h.previousState, h.state, h.dwellSeconds]))
      .toEqual([[1, null, 'JOB_STATE_PENDING', null], [2, 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 120]]);
    expect((await store.readDigest(target)).jobs.get(JOB)).toMatchObject({state: 'JOB_STATE_RUNNING', sequence: 2});
  });

  it('marks a gone job deleted, drops its digest entry and writes the deleted event', async () => {
    await record([seen(snapshot('JOB_STATE_SUCCEEDED', 9, {started: 2, ended: 9}))], 9);
    const batches = await record([{kind: 'gone', name: JOB}], 20);

    expect(batches.flatMap(b => b.events.map(e => [e.type, e.id]))).toEqual([['nasmon.nasjob.v1.deleted', `${JOB}/deleted/2`]]);
    expect((await jobDoc(JOB).get()).data()).toMatchObject({deleted: true, sequence: 2, state: 'JOB_STATE_SUCCEEDED'});
    expect((await history(JOB)).map(h => h.state)).toEqual(['JOB_STATE_SUCCEEDED', 'DELETED']);
    expect((await store.readDigest(target)).jobs.size).toBe(0);
    expect(await store.recordedJobs(target)).toEqual([]);
    expect(await record([{kind: 'gone', name: JOB}], 21)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, (doc: Record<string, unknown>) => void]>([
    ['an enum value this client does not know', {state: 42}, '42', doc => expect(JSON.parse(doc.jobJson as string)).toMatchObject({state: 42})],
    ['raw JSON that Firestore could not hold as a map', {error: {code: 13, message: 'x', details: [{'@type': 't/x', grid: [[1, 2], [3]]}]}},
      'JOB_STATE_PENDING', doc => expect(JSON.parse(doc.jobJson as string).error.details[0].grid).toEqual([[1, 2], [3]])],
  ])('stores and reads back a job with %s', async (_, patch, state, check) => {
    const job = parseNasJob({...JSON.parse(JSON.stringify(snapshot('JOB_STATE_PENDING', 1))), ...patch});
    expect(await record([seen(job)], 1)).toHaveLength(1);
    check((await jobDoc(JOB).get()).data()!);
    expect(await record([seen(job)], 2)).toEqual([]); // read back equal: nothing to write
    expect((await history(JOB)).map(h => h.state)).toEqual([state]);
  });

  it('applies two observations of one job in one call in order', async () => {
    const batches = await record([seen(snapshot('JOB_STATE_PENDING', 1)), seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], 3);

    expect(batches.map(b => b.events[0]!.id)).toEqual([`${JOB}/state/1`, `${JOB}/state/2`]);
    expect((await history(JOB)).map(h => h.sequence)).toEqual([1, 2]);
    expect((await store.pendingOutbox(target, 10)).map(b => b.id)).toEqual(batches.map(b => b.id));
  });

  it('splits a large call into transactions of at most maxWritesPerTransaction writes', async () => {
    const chunked = createFirestorePollStore({firestore, maxWritesPerTransaction: 30});
    const transactions = vi.spyOn(Firestore.prototype, 'runTransaction');
    const writes = [vi.spyOn(Transaction.prototype, 'set'), vi.spyOn(Transaction.prototype, 'create')];
    const jobs = Array.from({length: 250}, (_, n) => jobNamed(n));

    const batches = await chunked.recordObservations(target, HOLDER, jobs.map(seen), at(1));

    const perTransaction = new Map<unknown, number>();
    for (const context of writes.flatMap(spy => spy.mock.contexts)) perTransaction.set(context, (perTransaction.get(context) ?? 0) + 1);
    vi.restoreAllMocks();
    expect(transactions.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(250 / 9));
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(30);
    // Every observation writes job, history and outbox; each transaction adds one write per digest shard it touched.
    const digestWrites = [...perTransaction.values()].reduce((a, b) => a + b) - 250 * 3;
    expect(digestWrites).toBeGreaterThanOrEqual(perTransaction.size);
    expect(digestWrites).toBeLessThanOrEqual(perTransaction.size * DIGEST_SHARDS);
    expect(batches).toHaveLength(250);
    expect((await firestore.collection('nasJobs').count().get()).data().count).toBe(250);
    expect((await firestore.collectionGroup('history').count().get()).data().count).toBe(250);
    expect(await outboxCount()).toBe(250);
    expect((await store.readDigest(target)).jobs.size).toBe(250);
    const recorded = await store.recordedJobs(target);
    expect(recorded.map(job => job.name).sort()).toEqual(jobs.map(j => j.name).sort());
    // What a sweep compares with the listing, for the finished jobs the digest no longer holds.
    const byName = new Map(jobs.map(job => [job.name, job]));
    for (const job of recorded) expect(job).toEqual({name: job.name, state: byName.get(job.name)!.state, updateTime: byName.get(job.name)!.updateTime});
  });

  it('serves a quiet cycle from one batched read of the digest root and shards, and writes nothing', async () => {
    await record(Array.from({length: 300}, (_, n) => seen(jobNamed(n))), 1);
    const docReads = vi.spyOn(DocumentReference.prototype, 'get');
    const batchedReads = vi.spyOn(Firestore.prototype, 'getAll');
    const queries = vi.spyOn(Query.prototype, 'get');
    const transactions = vi.spyOn(Firestore.prototype, 'runTransaction');

    const digest = await store.readDigest(target);
    const batches = await store.recordObservations(target, HOLDER, [], at(2));

    expect(digest.jobs.size).toBe(300);
    expect(batches).toEqual([]);
    expect([docReads.mock.calls.length, queries.mock.calls.length, transactions.mock.calls.length]).toEqual([0, 0, 0]);
    expect(batchedReads.mock.calls.map(call => call.length)).toEqual([1 + DIGEST_SHARDS]);
    vi.restoreAllMocks();
  });
});
