// The gate's team slots on the emulator: the concurrency limit's count and reservations, raced by
// two gate instances (two Firestore clients), as production runs several.
import {afterAll, afterEach, beforeAll, beforeEach, expect, it, vi} from 'vitest';
import {Query, type Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, docIdOf} from '../../shared/adapters/firestore/collections.js';
import {createTeamSlots, type TeamSlots} from '../../shared/adapters/firestore/team-slots.js';
import type {SlotSettlement} from '../../shared/ports/gate-store.js';
import {ACTIVE_JOB_STATES, type JobState} from '../../shared/core/vertex/index.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
const KEEP_MS = 10 * 60_000;
const VIEW_MS = 5000;
const jobName = (id: number) => `projects/123/locations/us-central1/nasJobs/${id}`;

describeWithEmulators('team slots', () => {
  let instances: Firestore[];
  let clockMs = Date.now();
  const now = () => new Date(clockMs);
  // The fields of a mirror document the team count reads (toJobDoc writes them all).
  const mirror = (id: number, state: string, team = 'nlp') =>
    instances[0]!.collection(COLLECTIONS.jobs).doc(docIdOf(jobName(id))).set({name: jobName(id), team, deleted: false, state, active: ACTIVE_JOB_STATES.includes(state as JobState)});
  const slotDoc = () => instances[0]!.collection(COLLECTIONS.teamSlots).doc('nlp').get();
  const settlementKeys = async () =>
    Object.keys((await instances[0]!.collection(COLLECTIONS.teamSettlements).doc('nlp').get()).get('settled') ?? {}).sort();
  const slotsOf = (firestore: Firestore, viewMaxAgeMs = 0, boardRefreshMs = 0) => createTeamSlots(firestore, {now, keepMs: KEEP_MS, viewMaxAgeMs, boardRefreshMs});
  const settle = async (slots: TeamSlots, settlement: SlotSettlement) => {
    const batch = instances[0]!.batch();
    const settled = slots.settle(batch, settlement);
    await batch.commit();
    settled();
  };

  beforeAll(() => {
    instances = [emulatorFirestore(projectId), emulatorFirestore(projectId)];
  });
  beforeEach(async () => {
    clockMs = Date.now();
    await resetFirestore(projectId);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await Promise.all(instances.map(firestore => firestore.terminate()));
  });

  it.each([0, VIEW_MS])('lets two instances racing for a team\'s last slots reserve exactly as many as are free (views kept %i ms)', async viewMaxAgeMs => {
    await mirror(1, 'JOB_STATE_RUNNING');
    await mirror(2, 'JOB_STATE_PENDING');
    await mirror(3, 'JOB_STATE_SUCCEEDED'); // finished: not counted
    await mirror(4, 'JOB_STATE_RUNNING', 'vision'); // another team's
    const limit = 5;
    const slots = instances.map(firestore => slotsOf(firestore, viewMaxAgeMs));
    // Both instances start from a view of the same two active jobs, which a kept view would reuse.
    expect(await Promise.all(slots.map(each => each.count('nlp')))).toEqual([2, 2]);
    const outcomes = await Promise.all(Array.from({length: 12}, (_, i) =>
      slots[i % 2]!.reserve('nlp', `key-${i}`, active => active < limit)));
    expect(outcomes.filter(Boolean)).toHaveLength(3);
    expect(await slots[1]!.count('nlp')).toBe(5);
  }, 60_000);

  it('counts a reserved job until the mirror has it, then only while the mirror shows it active', async () => {
    // `own` settles the reservations, so it reads the jobs' mirror documents alongside the slot;
    // `other` learns of them from the settlements document only, and reads them after.
    const [own, other] = instances.map(firestore => slotsOf(firestore)) as [TeamSlots, TeamSlots];
    const counts = async () => [await own.count('nlp'), await other.count('nlp')];
    const created = async (key: string, id: number) => {
      expect(await own.reserve('nlp', key, () => true)).toBe(true);
      await settle(own, {team: 'nlp', key, jobName: jobName(id)});
    };
    expect(await own.reserve('nlp', 'key-a', () => true)).toBe(true);
    expect(await counts()).toEqual([1, 1]); // the create is still under way
    await settle(own, {team: 'nlp', key: 'key-a', jobName: jobName(7)});
    expect(await counts()).toEqual([1, 1]); // created, not mirrored yet
    await created('key-b', 8);
    await created('key-c', 9);
    expect(await counts()).toEqual([3, 3]);
    await mirror(8, 'JOB_STATE_FAILED'); // over before the poller saw it run
    await mirror(7, 'JOB_STATE_RUNNING');
    expect(await other.count('nlp')).toBe(2); // 7 once, not twice; 9 not mirrored yet
    // The next reservation keeps only what the mirror lacks (9's), and deletes the settlements of
    // the reservations it drops.
    expect(await own.reserve('nlp', 'key-d', active => active === 2)).toBe(true);
    expect((await slotDoc()).get('reservations')).toEqual({'key-c': {at: expect.anything()}, 'key-d': {at: expect.anything()}});
    expect(await settlementKeys()).toEqual(['key-c']);
    await settle(own, {team: 'nlp', key: 'key-d'}); // its create failed: the slot is free at once
    await mirror(7, 'JOB_STATE_FAILED');
    expect(await counts()).toEqual([1, 1]);
    await mirror(9, 'JOB_STATE_SUCCEEDED');
    expect(await counts()).toEqual([0, 0]);
    expect(await other.reserve('nlp', 'key-e', active => active === 0)).toBe(true);
    expect(Object.keys((await slotDoc()).get('reservations') as object)).toEqual(['key-e']);
    expect(await settlementKeys()).toEqual([]);
  }, 60_000);

  it('lets a reservation expire after its time, and refuses when the decision says no', async () => {
    const [firestore] = instances as [Firestore];
    const slots = slotsOf(firestore);
    clockMs -= KEEP_MS + 1000;
    expect(await slotsOf(firestore).reserve('nlp', 'old', () => true)).toBe(true);
    clockMs += KEEP_MS + 1000;
    expect(await slots.count('nlp')).toBe(0);
    await mirror(1, 'JOB_STATE_RUNNING');
    expect(await slots.reserve('nlp', 'refused', active => active < 1)).toBe(false);
    expect(Object.keys((await slotDoc()).get('reservations') as object)).toEqual(['old']); // a refusal writes nothing
  }, 60_000);

  it('reserves from a kept view: exact for the gate\'s own creates, a job from outside counts once the view is old', async () => {
    const [first, second] = instances.map(firestore => slotsOf(firestore, VIEW_MS)) as [TeamSlots, TeamSlots];
    await mirror(1, 'JOB_STATE_RUNNING');
    const seen: number[] = [];
    const reserve = (slots: TeamSlots, key: string, limit: number) => slots.reserve('nlp', key, active => (seen.push(active), active < limit));
    expect(await reserve(first, 'a', 3)).toBe(true); // read: 1 active
    expect(await reserve(first, 'b', 3)).toBe(true); // from the view: 1 active + a
    // Another instance's reservation changes the slot document: the view's write fails its
    // precondition, and the count read again sees all three.
    expect(await reserve(second, 'c', 4)).toBe(true);
    expect(await reserve(first, 'd', 4)).toBe(false);
    expect(seen).toEqual([1, 2, 3, 3, 4]); // first's view said 3 (c unseen), its write failed, the re-read said 4
    // A job created outside the gate and mirrored after the view was read: within the view's age
    // it is not counted (as it was not before the poller mirrored it); after, it is.
    await settle(first, {team: 'nlp', key: 'a'});
    await settle(first, {team: 'nlp', key: 'b'});
    await first.count('nlp'); // a fresh view: 1 active + c
    await mirror(2, 'JOB_STATE_PENDING');
    seen.length = 0;
    expect(await reserve(first, 'e', 9)).toBe(true);
    clockMs += VIEW_MS;
    expect(await reserve(first, 'f', 9)).toBe(true);
    expect(seen).toEqual([2, 4]); // e: 1 active + c; f, read again: 2 active + c + e
    // A view that says no is read again, so a job that has ended frees its slot at once.
    await mirror(1, 'JOB_STATE_SUCCEEDED');
    seen.length = 0;
    expect(await reserve(first, 'g', 5)).toBe(true);
    expect(seen).toEqual([5, 4]); // the view: 1 and 2 active + c, e, f; read again: 2 + c, e, f
  }, 60_000);

  // Reads of Firestore by either instance: batched gets, and queries (a collection read is a query).
  const countReads = () => {
    const getAll = instances.map(firestore => vi.spyOn(firestore, 'getAll'));
    const queries = vi.spyOn(Query.prototype, 'get');
    return () => ({getAll: getAll.reduce((sum, spy) => sum + spy.mock.calls.length, 0), queries: queries.mock.calls.length});
  };

  // Two calls in a row: the second finds the instance busy and waits for the read of every team it starts.
  const busy = async (slots: TeamSlots) => {
    await slots.count('warm-up');
    await slots.count('warm-up');
  };

  it('reserves for teams the instance has not served from its board of every team, with the write alone', async () => {
    await mirror(1, 'JOB_STATE_RUNNING');
    await mirror(2, 'JOB_STATE_PENDING');
    await mirror(3, 'JOB_STATE_RUNNING', 'vision');
    const slots = slotsOf(instances[0]!, VIEW_MS, 1000);
    await busy(slots);
    const reads = countReads();
    const seen: Record<string, number> = {};
    const reserve = (team: string) => slots.reserve(team, `key-${team}`, active => ((seen[team] = active), true));
    expect(await Promise.all([reserve('nlp'), reserve('vision'), reserve('speech')])).toEqual([true, true, true]);
    expect(seen).toEqual({nlp: 2, vision: 1, speech: 0});
    expect(reads()).toEqual({getAll: 0, queries: 0});
    expect(await Promise.all(['nlp', 'vision', 'speech', 'audio'].map(team => slots.count(team)))).toEqual([3, 2, 1, 0]);
    expect(reads()).toEqual({getAll: 0, queries: 0}); // dry runs count from the board too
  }, 60_000);

  it('catches, through the write\'s precondition, another instance\'s reservations made since the board was read', async () => {
    await mirror(1, 'JOB_STATE_RUNNING');
    const boarded = slotsOf(instances[0]!, VIEW_MS, 1000);
    const other = slotsOf(instances[1]!);
    await busy(boarded); // the board: nlp has 1 active job, speech nothing
    expect(await other.reserve('nlp', 'other-nlp', () => true)).toBe(true);
    expect(await other.reserve('speech', 'other-speech', () => true)).toBe(true);
    const seen: number[] = [];
    const reserve = (team: string, limit: number) => boarded.reserve(team, `boarded-${team}`, active => (seen.push(active), active < limit));
    expect(await reserve('nlp', 2)).toBe(false); // the board said 1; its write failed; read again: 2
    expect(await reserve('speech', 1)).toBe(false); // the board said nothing; the document's creation failed; read again: 1
    expect(seen).toEqual([1, 2, 0, 1]);
    expect(Object.keys((await slotDoc()).get('reservations') as object)).toEqual(['other-nlp']);
  }, 60_000);

  it('reads every team again once the board is old, and only while calls keep coming', async () => {
    await mirror(1, 'JOB_STATE_RUNNING');
    const slots = slotsOf(instances[0]!, VIEW_MS, 1000);
    await busy(slots);
    await mirror(2, 'JOB_STATE_RUNNING'); // created outside the gate, mirrored after the board was read
    expect(await slots.count('nlp')).toBe(1); // as if the poller had not mirrored it yet
    clockMs += VIEW_MS;
    let reads = countReads();
    expect(await slots.count('nlp')).toBe(2); // the first call after an idle spell reads its team alone
    expect(reads()).toEqual({getAll: 1, queries: 1});
    vi.restoreAllMocks();
    reads = countReads();
    expect(await slots.count('vision')).toBe(0); // the next one joins a read of every team
    expect(await slots.count('nlp')).toBe(2);
    expect(reads()).toEqual({getAll: 0, queries: 3}); // slot and settlements documents, active jobs
    clockMs += VIEW_MS;
    vi.restoreAllMocks();
    reads = countReads();
    const seen: number[] = [];
    expect(await slots.reserve('nlp', 'late', active => (seen.push(active), true))).toBe(true);
    expect(seen).toEqual([2]); // a stale board is not used: the team is read on its own
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(reads().queries).toBe(1); // and a lone create starts no read of every team
  }, 60_000);

  it('reads no mirror document for a settled reservation that has expired', async () => {
    const [own, other] = instances.map(firestore => slotsOf(firestore)) as [TeamSlots, TeamSlots];
    expect(await own.reserve('nlp', 'key-a', () => true)).toBe(true);
    await settle(own, {team: 'nlp', key: 'key-a', jobName: jobName(7)}); // created, never mirrored
    let reads = countReads();
    expect(await other.count('nlp')).toBe(1);
    expect(reads().getAll).toBe(2); // the slot documents, then job 7's mirror document
    vi.restoreAllMocks();
    clockMs += KEEP_MS + 1000;
    reads = countReads();
    expect(await other.count('nlp')).toBe(0);
    expect(reads().getAll).toBe(1);
  }, 60_000);
});
