import {digestShardOf} from '../../shared/adapters/firestore/collections.js';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {FieldValue, type Firestore} from '@google-cloud/firestore';
import {createFirestorePollStore, StoredDataError} from '../../shared/adapters/firestore/index.js';
import type {Observation} from '../../shared/core/poll/apply-observation.js';
import type {NasJob} from '../../shared/core/vertex/index.js';
import {createLogger} from '../../shared/log.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';
import {at, JOB, snapshot} from '../unit/core/poll/histories.js';

const projectId = testProjectId(import.meta.url);
const target = {project: 'proj-a', location: 'us-central1'};
const OTHER = JOB.replace(/\d+$/, '555');
const seen = (job: NasJob): Observation => ({kind: 'seen', name: job.name, job});
const JOB_DOC = `nasJobs/${JOB.replaceAll('/', '~')}`;

// The digest shard that holds JOB's entry (digestShardOf('4417291937424343040') = 2).
const SHARD_OF_JOB = `nasmonTargets/proj-a:us-central1/digest/${digestShardOf('4417291937424343040')}`;

describeWithEmulators('FirestorePollStore with corrupted documents', () => {
  let firestore: Firestore;
  let store: PollStore;
  let lines: Array<Record<string, unknown>>;
  const record = (observations: Observation[], minute: number) => store.recordObservations(target, 'p', observations, at(minute));

  beforeAll(() => {
    firestore = emulatorFirestore(projectId);
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    lines = [];
    store = createFirestorePollStore({firestore, log: createLogger({}, line => lines.push(JSON.parse(line) as Record<string, unknown>))});
    await store.acquireLease(target, 'p', 60_000);
    await record([seen(snapshot('JOB_STATE_PENDING', 1)), seen({...snapshot('JOB_STATE_PENDING', 1), name: OTHER})], 1);
  });
  afterAll(async () => {
    await firestore.terminate();
  });

  it.each([
    ['sequence', {sequence: 'two'}, 'sequence'],
    ['a job field', {jobJson: JSON.stringify({...snapshot('JOB_STATE_PENDING', 1), state: {bogus: true}})}, 'job.state'],
    ['job JSON', {jobJson: '{"name": "projects/'}, 'jobJson'],
    ['a trial count', {stagesJson: JSON.stringify({search: {states: {}, counts: {total: -1}}})}, 'stages.search.counts.total'],
  ])('refuses a job document with a malformed %s, naming the document and field, and records the other jobs', async (_, patch, field) => {
    await firestore.doc(JOB_DOC).update(patch);

    const error: unknown = await record([
      seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2})), seen({...snapshot('JOB_STATE_RUNNING', 3, {started: 2}), name: OTHER}),
    ], 3).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoredDataError);
    expect(error).toMatchObject({doc: JOB_DOC, field, code: 'payload-invalid'});
    expect((error as Error).message).toContain(`${JOB_DOC}: field ${field}`);
    expect((await store.readDigest(target)).jobs.get(OTHER)).toMatchObject({state: 'JOB_STATE_RUNNING', sequence: 2});
    expect((await firestore.doc(JOB_DOC).collection('history').get()).size).toBe(1); // not re-announced, not advanced
    expect(lines).toContainEqual(expect.objectContaining({severity: 'ERROR', message: expect.stringContaining('corrupt')}));
  });

  it('skips a malformed digest entry with a warning and keeps the others', async () => {
    await firestore.doc(SHARD_OF_JOB).update({'jobs.4417291937424343040': `${JOB}|JOB_STATE_RUNNING|x||`});
    await firestore.doc('nasmonTargets/proj-a:us-central1').set({lastListTime: 42}, {merge: true});

    const read = await store.readDigest(target);

    expect([...read.jobs.keys()]).toEqual([OTHER]);
    expect(read.lastListTime).toBeUndefined();
    expect(lines.map(l => [l.severity, l.field])).toEqual([
      ['WARNING', 'jobs.4417291937424343040'], ['WARNING', 'lastListTime'],
    ]);
  });

  it('skips an entry in the map form of earlier versions with a warning', async () => {
    await firestore.doc(SHARD_OF_JOB).update({'jobs.4417291937424343040': {n: JOB, s: 'JOB_STATE_RUNNING', q: 2}});
    const read = await store.readDigest(target);
    expect([...read.jobs.keys()]).toEqual([OTHER]);
    expect(lines.map(l => [l.severity, l.field])).toEqual([['WARNING', 'jobs.4417291937424343040']]);
  });

  it('keeps an entry whose trials read time is malformed, without the read time, with a warning', async () => {
    await store.markTrialsRead(target, [JOB], at(2));
    await firestore.doc(SHARD_OF_JOB).update({'reads.4417291937424343040': 17});
    const read = await store.readDigest(target);
    expect(read.jobs.get(JOB)).toMatchObject({state: 'JOB_STATE_PENDING'});
    expect(read.jobs.get(JOB)?.trialsReadAt).toBeUndefined();
    expect(lines.map(l => [l.severity, l.field])).toEqual([['WARNING', 'reads.4417291937424343040']]);
  });

  it('rewrites a malformed digest entry at the job\'s next recorded change', async () => {
    await firestore.doc(SHARD_OF_JOB).update({'jobs.4417291937424343040': 'garbage'});
    await record([seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], 3);
    expect((await store.readDigest(target)).jobs.get(JOB)).toMatchObject({state: 'JOB_STATE_RUNNING', sequence: 2});
  });

  it('reads a digest shard whose jobs field is not a map as empty, with a warning', async () => {
    await firestore.doc(SHARD_OF_JOB).update({jobs: ['not', 'a', 'map']});
    expect((await store.readDigest(target)).jobs.has(JOB)).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({severity: 'WARNING', field: 'jobs'}));
  });

  it.each([
    ['an event that is not one', '[{"id": 1}]', 'eventsJson[0].type'],
    ['text that is not JSON', '[{"id": "x"', 'eventsJson'],
    ['no events', '[]', 'eventsJson'],
  ])('leaves an outbox document with %s in place, reported, and returns the others', async (_, eventsJson, field) => {
    const [first, second] = await store.pendingOutbox(target, 10);
    await firestore.doc(`nasmonOutbox/${first!.id}`).update({eventsJson});

    expect((await store.pendingOutbox(target, 10)).map(b => b.id)).toEqual([second!.id]);
    expect(lines).toContainEqual(expect.objectContaining({
      severity: 'ERROR', doc: `nasmonOutbox/${first!.id}`, error: expect.objectContaining({message: expect.stringContaining(`field ${field}:`)}),
    }));
  });

  it('treats a malformed lease as held by nobody: writers are fenced off, the next acquire wins', async () => {
    await firestore.doc('nasmonLeases/proj-a:us-central1').update({expiresAt: 'tomorrow', holder: FieldValue.delete()});
    await expect(record([seen(snapshot('JOB_STATE_RUNNING', 3, {started: 2}))], 3)).rejects.toThrow(/held by nobody/);
    expect(await store.acquireLease(target, 'q', 1_000)).toBe(true);
  });
});
