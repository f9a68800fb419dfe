// The gate's team slots on the emulator: the concurrency limit's count and reservations, raced by
// two gate instances (two Firestore clients), as production runs several.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, docIdOf} from '../../shared/adapters/firestore/collections.js';
import {countTeamJobs, reserveTeamSlot, settleTeamSlot} from '../../shared/adapters/firestore/team-slots.js';
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
    const outcomes = await Promise.all(Array.from({length: 12}, (_, i) =>
      reserveTeamSlot(instances[i % 2]!, 'nlp', `key-${i}`, active => active < limit, now, KEEP_MS)));
    expect(outcomes.filter(Boolean)).toHaveLength(3);
    expect(await countTeamJobs(instances[1]!, 'nlp', now, KEEP_MS)).toBe(5);
  }, 60_000);

  it('counts a reserved job until the mirror has it, then only while the mirror shows it active', async () => {
    const [firestore] = instances as [Firestore];
    expect(await reserveTeamSlot(firestore, 'nlp', 'key-a', () => true, now, KEEP_MS)).toBe(true);
    expect(await countTeamJobs(firestore, 'nlp', now, KEEP_MS)).toBe(1); // the create is still under way
    const batch = firestore.batch();
    settleTeamSlot(firestore, batch, {team: 'nlp', key: 'key-a', jobName: jobName(7)});
    await batch.commit();
    expect(await countTeamJobs(firestore, 'nlp', now, KEEP_MS)).toBe(1); // created, not mirrored yet
    await mirror(7, 'JOB_STATE_RUNNING');
    expect(await countTeamJobs(firestore, 'nlp', now, KEEP_MS)).toBe(1); // once, not twice
    await mirror(7, 'JOB_STATE_FAILED');
    expect(await countTeamJobs(firestore, 'nlp', now, KEEP_MS)).toBe(0);
    // The next reservation drops the one the mirror has; the failed create's is freed by its settlement.
    expect(await reserveTeamSlot(firestore, 'nlp', 'key-b', () => true, now, KEEP_MS)).toBe(true);
    const freed = firestore.batch();
    settleTeamSlot(firestore, freed, {team: 'nlp', key: 'key-b'});
    await freed.commit();
    const slot = await firestore.collection(COLLECTIONS.teamSlots).doc('nlp').get();
    expect(slot.get('reservations')).toEqual({});
  }, 60_000);

  it('lets a reservation expire after its time, and refuses when the decision says no', async () => {
    const [firestore] = instances as [Firestore];
    const past = () => new Date(Date.now() - KEEP_MS - 1000);
    expect(await reserveTeamSlot(firestore, 'nlp', 'old', () => true, past, KEEP_MS)).toBe(true);
    expect(await countTeamJobs(firestore, 'nlp', now, KEEP_MS)).toBe(0);
    await mirror(1, 'JOB_STATE_RUNNING');
    expect(await reserveTeamSlot(firestore, 'nlp', 'refused', active => active < 1, now, KEEP_MS)).toBe(false);
    const slot = await firestore.collection(COLLECTIONS.teamSlots).doc('nlp').get();
    expect(Object.keys(slot.get('reservations') as object)).toEqual(['old']); // a refusal writes nothing
  }, 60_000);
});
