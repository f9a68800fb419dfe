// Per-team create slots: the concurrency limit must hold even when creates race each other and the
// poller has not mirrored the newest jobs yet.
import {FieldValue, Timestamp, type Firestore, type WriteBatch} from '@google-cloud/firestore';
import type {SlotSettlement} from '../../ports/gate-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';

const ACTIVE_STATES = ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING'];

type Reservations = Record<string, {at?: Timestamp; jobName?: string | null}>;

/**
 * Counts the team's active jobs in the mirror, adds reservations not yet mirrored (by job name, so
 * nothing counts twice), asks `decide`, and reserves a slot if it says yes. Reservations expire
 * after `keepMs`: by then the poller has mirrored the job, or the create never happened.
 *
 * Optimistic rather than a transaction: the reads run side by side outside any transaction, and
 * the reservation is written only if the slot document is still as read (its update time, or its
 * absence); otherwise everything is read again. Every create of the team writes that document, so
 * two racing creates cannot both pass on the same count. It saves a round trip over the
 * transaction (whose first read must come alone), and holds no lock on the mirror's documents that
 * the poller's writes would wait for. A job racing into the mirror between the reads is counted by
 * whichever read saw it active (see countTeam).
 */
export async function reserveTeamSlot(firestore: Firestore, team: string, key: string, decide: (active: number) => boolean, now: () => Date, keepMs: number): Promise<boolean> {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  for (let attempt = 1; ; attempt++) {
    const {active, pending, slot} = await countTeam(firestore, team, now, keepMs);
    if (!decide(active)) return false;
    // Only pending reservations are kept: expired ones, and those the mirror has (its query counts
    // them from then on), would only make every later reservation read more.
    const reservations = {...Object.fromEntries(pending), [key]: {at: Timestamp.fromDate(now()), jobName: null}};
    try {
      await (slot.exists ? slotRef.update({reservations}, {lastUpdateTime: slot.updateTime!}) : slotRef.create({reservations}));
      return true;
    } catch (error) {
      if (!SLOT_CHANGED.has((error as {code?: number}).code ?? 0) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The slot document changed between the read and the write: deleted (NOT_FOUND), created (ALREADY_EXISTS), updated (FAILED_PRECONDITION). */
const SLOT_CHANGED = new Set([5, 6, 9]);
/** As many tries as the transaction it replaced had: creates of one team on many instances at once. */
const MAX_ATTEMPTS = 30;

/** The same count as reserveTeamSlot: for validateOnly, which reserves nothing. */
export async function countTeamJobs(firestore: Firestore, team: string, now: () => Date, keepMs: number): Promise<number> {
  return (await countTeam(firestore, team, now, keepMs)).active;
}

/** Adds to `batch`: the reservation records which job it became, or is dropped when the create failed. */
export function settleTeamSlot(firestore: Firestore, batch: WriteBatch, slot: SlotSettlement): void {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(slot.team);
  const value = slot.jobName ? {at: FieldValue.serverTimestamp(), jobName: slot.jobName} : FieldValue.delete();
  // A merge, not an update: should the slot document be gone, the audit entry in the batch still lands.
  batch.set(slotRef, {reservations: {[slot.key]: value}}, {merge: true});
}

/**
 * The slot document and the team's active jobs in the mirror, read side by side; then, only for
 * reserved jobs the query did not return, their mirror documents (unmirrored, or finished). The
 * reads are not one snapshot, so the count is a union by name: a job counts when the query or its
 * own document shows it active, or when the mirror does not have it yet.
 */
async function countTeam(firestore: Firestore, team: string, now: () => Date, keepMs: number) {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  const activeQuery = firestore.collection(COLLECTIONS.jobs)
    .where('team', '==', team).where('deleted', '==', false).where('state', 'in', ACTIVE_STATES).select('name');
  const [slot, activeDocs] = await Promise.all([slotRef.get(), activeQuery.get()]);
  const active = new Set(activeDocs.docs.map(doc => doc.get('name') as string));
  const reservations = (slot.get('reservations') ?? {}) as Reservations;
  const fresh = Object.entries(reservations).filter(([, r]) => r.at instanceof Timestamp && now().getTime() - r.at.toMillis() < keepMs);
  const unlisted = [...new Set(fresh.flatMap(([, r]) => (r.jobName && !active.has(r.jobName) ? [r.jobName] : [])))];
  const docs = unlisted.length === 0 ? [] : await firestore.getAll(...unlisted.map(name => firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name))));
  // A reserved job the mirror has (in any state) is the query's from then on; until then it counts here.
  const mirrored = new Set(active);
  for (const [index, doc] of docs.entries()) {
    if (!doc.exists) continue;
    const name = unlisted[index]!;
    mirrored.add(name);
    if (ACTIVE_STATES.includes(doc.get('state') as string)) active.add(name); // mirrored after the query ran
  }
  const pending = fresh.filter(([, r]) => !r.jobName || !mirrored.has(r.jobName));
  return {active: active.size + pending.length, pending, slot};
}
