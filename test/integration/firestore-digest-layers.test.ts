import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {digestShardOf, jobIdOf} from '../../shared/adapters/firestore/collections.js';
import {COMPACT_AT} from '../../shared/adapters/firestore/digest-doc.js';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import type {Observation} from '../../shared/core/poll/apply-observation.js';
import type {NasJob} from '../../shared/core/vertex/index.js';
import {createLogger} from '../../shared/log.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';
import {at, JOB, snapshot} from '../unit/core/poll/histories.js';

// The digest's two layers (shared/adapters/firestore/digest-doc.ts): `packed` as of the last
// compaction, and the entries and read times written since, by field path.

const projectId = testProjectId(import.meta.url);
const target = {project: 'proj-a', location: 'us-central1'};
const HOLDER = 'poller-1';
const seen = (job: NasJob): Observation => ({kind: 'seen', name: job.name, job});
const jobNamed = (n: number, state = 'JOB_STATE_PENDING', minute = 0): NasJob =>
  ({...snapshot(state, minute), name: JOB.replace(/\d+$/, String(1000 + n))});
const shardPath = (name: string) => `nasmonTargets/proj-a:us-central1/digest/${digestShardOf(jobIdOf(name))}`;

describeWithEmulators('the digest in two layers', () => {
  let firestore: Firestore;
  let store: PollStore;
  let lines: Array<Record<string, unknown>>;
  const record = (observations: Observation[], minute: number) => store.recordObservations(target, HOLDER, observations, at(minute));
  const shardOf = async (name: string) => (await firestore.doc(shardPath(name)).get()).data() ?? {};

  beforeAll(() => {
    firestore = emulatorFirestore(projectId);
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    lines = [];
    store = createFirestorePollStore({firestore, log: createLogger({component: 'test'}, line => lines.push(JSON.parse(line) as Record<string, unknown>))});
    expect(await store.acquireLease(target, HOLDER, 60_000)).toBe(true);
  });
  afterAll(async () => {
    await firestore.terminate();
  });

  it('folds a shard into `packed` once its second layer reaches COMPACT_AT keys, and reads the same before and after', async () => {
    // Enough jobs that every shard gets past COMPACT_AT: entries, a removal and read times.
    const jobs = Array.from({length: COMPACT_AT * 5}, (_, n) => jobNamed(n));
    const [first, ...rest] = jobs;
    await record([seen(first!)], 1);
    await store.markTrialsRead(target, [first!.name], at(1));
    await store.readDigest(target); // the store learns each shard's second layer from its reads
    const before = await shardOf(first!.name);
    expect(before['packed']).toBeUndefined();
    expect(Object.keys(before['jobs'] as object)).toEqual([jobIdOf(first!.name)]);

    await record(rest.map(seen), 2);
    await record([{kind: 'gone', name: rest[0]!.name}], 3);

    const after = await shardOf(first!.name);
    const packed = after['packed'] as string;
    expect(packed.split('\n')).toContain(`${first!.name}|JOB_STATE_PENDING|1|${first!.updateTime}||${at(1)}`);
    expect(after['jobs']).toEqual({});
    expect(after['reads']).toEqual({});
    const digest = await store.readDigest(target);
    expect(digest.jobs.size).toBe(jobs.length - 1);
    expect(digest.jobs.has(rest[0]!.name)).toBe(false);
    expect(digest.jobs.get(first!.name)).toEqual({name: first!.name, state: 'JOB_STATE_PENDING', sequence: 1, updateTime: first!.updateTime, trialsReadAt: at(1)});
    expect(lines.filter(line => line['severity'] !== 'INFO')).toEqual([]);
  });

  it('lays entries, read times and removals written after a compaction over `packed`', async () => {
    const [a, b, c] = [jobNamed(1), jobNamed(2), jobNamed(3)];
    const packed = new Map<string, string[]>();
    for (const job of [a, b, c]) {
      packed.set(shardPath(job.name), [...packed.get(shardPath(job.name)) ?? [], `${job.name}|JOB_STATE_PENDING|1|${job.updateTime}||${at(0)}`]);
    }
    for (const [path, lines] of packed) await firestore.doc(path).set({packed: lines.join('\n')});
    const read0 = await store.readDigest(target);
    expect([...read0.jobs.keys()].sort()).toEqual([a.name, b.name, c.name].sort());

    await record([seen(jobNamed(1, 'JOB_STATE_RUNNING', 5))], 5); // replaces a's entry (the mirror's first sighting of a)
    await store.markTrialsRead(target, [b.name], at(6)); // replaces b's read time
    await store.pruneDigest(target, [c.name]); // removes c

    const read = await store.readDigest(target);
    expect(read.jobs.get(a.name)).toMatchObject({state: 'JOB_STATE_RUNNING', updateTime: at(5), trialsReadAt: at(0)});
    expect(read.jobs.get(b.name)).toMatchObject({state: 'JOB_STATE_PENDING', sequence: 1, trialsReadAt: at(6)});
    expect(read.jobs.has(c.name)).toBe(false);
    expect(lines.filter(line => line['severity'] !== 'INFO')).toEqual([]); // a removal is no malformed entry
  });

  it('does not compact on a read: a quiet cycle writes nothing, however large the second layer', async () => {
    const jobs = Array.from({length: COMPACT_AT * 5}, (_, n) => jobNamed(n)); // every shard past COMPACT_AT
    // Written without the store, so it never counted them: as an older version would have left it.
    const shards = new Map<string, Record<string, string>>();
    for (const job of jobs) {
      const entries = shards.get(shardPath(job.name)) ?? {};
      entries[jobIdOf(job.name)] = `${job.name}|JOB_STATE_PENDING|1|${job.updateTime}|`;
      shards.set(shardPath(job.name), entries);
    }
    for (const [path, entries] of shards) await firestore.doc(path).set({jobs: entries});
    const times = async () => Promise.all([...shards.keys()].map(async path => (await firestore.doc(path).get()).updateTime?.toMillis()));
    const before = await times();

    expect((await store.readDigest(target)).jobs.size).toBe(jobs.length);
    expect(await times()).toEqual(before);

    // The next write compacts the shards past COMPACT_AT (all of them here), earlier entries and all.
    await record([seen(jobNamed(0, 'JOB_STATE_RUNNING', 5))], 5);
    expect(await shardOf(jobs[0]!.name)).toMatchObject({jobs: {}, reads: {}, packed: expect.any(String)});
    expect((await store.readDigest(target)).jobs.size).toBe(jobs.length);
  });

  it('skips a malformed line of `packed` with a warning naming it, and keeps the other lines', async () => {
    const [a, b] = [jobNamed(1), jobNamed(5)];
    await firestore.doc(shardPath(a.name)).set({packed: `${a.name}|JOB_STATE_PENDING|x|${a.updateTime}||\nno separator\n${b.name}|JOB_STATE_PENDING|1|||`});

    const read = await store.readDigest(target);

    expect([...read.jobs.keys()]).toEqual([b.name]);
    expect(lines.map(line => [line['severity'], line['field']])).toEqual([
      ['WARNING', 'packed (line 2)'], ['WARNING', `packed (job ${jobIdOf(a.name)})`],
    ]);
  });

  it('reads a shard whose `packed` is not a string from its second layer alone, with a warning', async () => {
    const a = jobNamed(1);
    await record([seen(a)], 1);
    await firestore.doc(shardPath(a.name)).set({packed: 7}, {merge: true});
    expect((await store.readDigest(target)).jobs.get(a.name)).toMatchObject({state: 'JOB_STATE_PENDING'});
    expect(lines).toContainEqual(expect.objectContaining({severity: 'WARNING', field: 'packed'}));
  });
});
