// Per-team create slots: the concurrency limit must hold even when creates race each other and the
// poller has not mirrored the newest jobs yet.
import {FieldValue, Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore, type Query, type QuerySnapshot, type WriteBatch} from '@google-cloud/firestore';
import type {SlotSettlement} from '../../ports/gate-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';

const ACTIVE_STATES = ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING'];

type Reservations = Record<string, {at?: Timestamp; jobName?: string | null}>;

/** The reads a count needs, inside a transaction or outside one. */
interface SlotReads {
  doc(ref: DocumentReference): Promise<DocumentSnapshot>;
  query(query: Query): Promise<QuerySnapshot>;
  all(refs: DocumentReference[]): Promise<DocumentSnapshot[]>;
}

/**
 * In one transaction per team (Firestore serialises them on the slot document): counts the team's
 * active jobs in the mirror, adds reservations not yet mirrored (by job name, so nothing counts
 * twice), asks `decide`, and reserves a slot if it says yes. Reservations expire after `keepMs`:
 * by then the poller has mirrored the job, or the create never happened.
 */
export function reserveTeamSlot(firestore: Firestore, team: string, key: string, decide: (active: number) => boolean, now: () => Date, keepMs: number): Promise<boolean> {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  return firestore.runTransaction(async tx => {
    const reads: SlotReads = {doc: ref => tx.get(ref), query: query => tx.get(query), all: refs => tx.getAll(...refs)};
    const {active, pending} = await countTeam(firestore, reads, team, now, keepMs);
    if (!decide(active)) return false;
    // Only pending reservations are kept: expired ones, and those the mirror has (its query counts
    // them from then on), would only make every later reservation read more.
    tx.set(slotRef, {reservations: {...Object.fromEntries(pending), [key]: {at: Timestamp.fromDate(now()), jobName: null}}});
    return true;
  }, {maxAttempts: 30});
}

/** The same count as reserveTeamSlot, read outside a transaction: for validateOnly, which reserves nothing. */
export async function countTeamJobs(firestore: Firestore, team: string, now: () => Date, keepMs: number): Promise<number> {
  const reads: SlotReads = {doc: ref => ref.get(), query: query => query.get(), all: refs => firestore.getAll(...refs)};
  return (await countTeam(firestore, reads, team, now, keepMs)).active;
}

/** Adds to `batch`: the reservation records which job it became, or is dropped when the create failed. */
export function settleTeamSlot(firestore: Firestore, batch: WriteBatch, slot: SlotSettlement): void {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(slot.team);
  const value = slot.jobName ? {at: FieldValue.serverTimestamp(), jobName: slot.jobName} : FieldValue.delete();
  // A merge, not an update: should the slot document be gone, the audit entry in the batch still lands.
  batch.set(slotRef, {reservations: {[slot.key]: value}}, {merge: true});
}

async function countTeam(firestore: Firestore, reads: SlotReads, team: string, now: () => Date, keepMs: number) {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  const activeQuery = firestore.collection(COLLECTIONS.jobs)
    .where('team', '==', team).where('deleted', '==', false).where('state', 'in', ACTIVE_STATES).select('name');
  // The slot first (in a transaction the first read also starts it); then the query and the reserved
  // jobs side by side: one round trip fewer than one after the other.
  const slot = await reads.doc(slotRef);
  const reservations = (slot.get('reservations') ?? {}) as Reservations;
  const fresh = Object.entries(reservations).filter(([, r]) => r.at instanceof Timestamp && now().getTime() - r.at.toMillis() < keepMs);
  // A reserved job counts until the mirror has it in any state; from then on the active query
  // counts it while it runs, and nothing counts it once it has finished.
  const named = fresh.flatMap(([, r]) => (r.jobName ? [r.jobName] : []));
  const [active, docs] = await Promise.all([
    reads.query(activeQuery),
    named.length === 0 ? [] : reads.all(named.map(name => firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name)))),
  ]);
  const mirrored = new Set(docs.filter(doc => doc.exists).map(doc => doc.get('name') as string));
  const pending = fresh.filter(([, r]) => !r.jobName || !mirrored.has(r.jobName));
  return {active: active.size + pending.length, pending};
}
