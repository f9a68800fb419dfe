// The gate's team slots on the emulator: the concurrency limit's count and reservations, raced by
// two gate instances (two Firestore clients), as production runs several.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, docIdOf} from '../../shared/adapters/firestore/collections.js';
import {createTeamSlots, type TeamSlots} from '../../shared/adapters/firestore/team-slots.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
const KEEP_MS = 10 * 60_000;
const now = () => new Date();
const jobName = (id: number) => `projects/123/locations/us-central1/nasJobs/${id}`;

describeWithEmulators('team slots', () => {
  let instances: Firestore[];
  const mirror = (id: number, state: string, team = 'nlp') =>
    instances[0]!.collection(COLLECTIONS.jobs).doc(docIdOf(jobName(id))).set({name: jobName(id), team, deleted: false, state});

  beforeAll(() => {
    instances = [emulatorFirestore(projectId), emulatorFirestore(projectId)];
  });
  beforeEach(async () => resetFirestore(projectId));
  afterAll(async () => {
    await Promise.all(instances.map(firestore => firestore.terminate()));
  });

  it('lets two instances racing for a team\'s last slots reserve exactly as many as are free', async () => {
    await mirror(1, 'JOB_STATE_RUNNING');
    await mirror(2, 'JOB_STATE_PENDING');
    await mirror(3, 'JOB_STATE_SUCCEEDED'); // finished: not counted
    await mirror(4, 'JOB_STATE_RUNNING', 'vision'); // another team's
    const limit = 5;
    const slots = instances.map(firestore => createTeamSlots(firestore, now, KEEP_MS));
    const outcomes = await Promise.all(Array.from({length: 12}, (_, i) =>
      slots[i % 2]!.reserve('nlp', `key-${i}`, active => active < limit)));
    expect(outcomes.filter(Boolean)).toHaveLength(3);
    expect(await slots[1]!.count('nlp')).toBe(5);
  }, 60_000);

  it('counts a reserved job until the mirror has it, then only while the mirror shows it active', async () => {
    // `own` settles the reservation, so it reads the job's mirror document alongside the slot;
    // `other` learns of the job from the slot document only, and reads it after.
    const [own, other] = instances.map(firestore => createTeamSlots(firestore, now, KEEP_MS)) as [TeamSlots, TeamSlots];
    const counts = async () => [await own.count('nlp'), await other.count('nlp')];
    const settle = async (settlement: Parameters<TeamSlots['settle']>[1]) => {
      const batch = instances[0]!.batch();
      own.settle(batch, settlement);
      await batch.commit();
    };
    const created = async (key: string, id: number) => {
      expect(await own.reserve('nlp', key, () => true)).toBe(true);
      await settle({team: 'nlp', key, jobName: jobName(id)});
    };
    expect(await own.reserve('nlp', 'key-a', () => true)).toBe(true);
    expect(await counts()).toEqual([1, 1]); // the create is still under way
    await settle({team: 'nlp', key: 'key-a', jobName: jobName(7)});
    expect(await counts()).toEqual([1, 1]); // created, not mirrored yet
    await created('key-b', 8);
    await created('key-c', 9);
    expect(await counts()).toEqual([3, 3]);
    await mirror(8, 'JOB_STATE_FAILED'); // over before the poller saw it run
    await mirror(7, 'JOB_STATE_RUNNING');
    expect(await other.count('nlp')).toBe(2); // 7 once, not twice; 9 not mirrored yet
    // `own` still remembers 7, 8 and 9 as unmirrored, so its next reservation reads all three
    // alongside the slot. It rewrites the slot with what the mirror lacks: 9's must stay.
    expect(await own.reserve('nlp', 'key-d', active => active === 2)).toBe(true);
    await settle({team: 'nlp', key: 'key-d'}); // its create failed: the slot is freed
    await mirror(7, 'JOB_STATE_FAILED');
    expect(await counts()).toEqual([1, 1]);
    await mirror(9, 'JOB_STATE_SUCCEEDED');
    expect(await counts()).toEqual([0, 0]);
    // The next reservation drops the one the mirror has; the failed create's is freed by its settlement.
    expect(await own.reserve('nlp', 'key-e', () => true)).toBe(true);
    await settle({team: 'nlp', key: 'key-e'});
    const slot = await instances[0]!.collection(COLLECTIONS.teamSlots).doc('nlp').get();
    expect(slot.get('reservations')).toEqual({});
  }, 60_000);

  it('lets a reservation expire after its time, and refuses when the decision says no', async () => {
    const [firestore] = instances as [Firestore];
    const past = () => new Date(Date.now() - KEEP_MS - 1000);
    const slots = createTeamSlots(firestore, now, KEEP_MS);
    expect(await createTeamSlots(firestore, past, KEEP_MS).reserve('nlp', 'old', () => true)).toBe(true);
    expect(await slots.count('nlp')).toBe(0);
    await mirror(1, 'JOB_STATE_RUNNING');
    expect(await slots.reserve('nlp', 'refused', active => active < 1)).toBe(false);
    const slot = await firestore.collection(COLLECTIONS.teamSlots).doc('nlp').get();
    expect(Object.keys(slot.get('reservations') as object)).toEqual(['old']); // a refusal writes nothing
  }, 60_000);
});
