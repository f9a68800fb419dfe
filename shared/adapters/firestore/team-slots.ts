// Per-team create slots: the concurrency limit must hold even when creates race each other and the
// poller has not mirrored the newest jobs yet.
import {FieldValue, Timestamp, type Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, docIdOf} from './collections.js';

const ACTIVE_STATES = ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING'];

/**
 * In one transaction per team (Firestore serialises them on the slot document): counts the team's
 * active jobs in the mirror, adds reservations not yet mirrored (by job name, so nothing counts
 * twice), asks `decide`, and reserves a slot if it says yes. Reservations expire after `keepMs`:
 * by then the poller has mirrored the job, or the create never happened.
 */
export function reserveTeamSlot(firestore: Firestore, team: string, key: string, decide: (active: number) => boolean, now: () => Date, keepMs: number): Promise<boolean> {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  const activeQuery = firestore.collection(COLLECTIONS.jobs)
    .where('team', '==', team).where('deleted', '==', false).where('state', 'in', ACTIVE_STATES).select('name');
  return firestore.runTransaction(async tx => {
    const [slot, active] = [await tx.get(slotRef), await tx.get(activeQuery)];
    const reservations = (slot.get('reservations') ?? {}) as Record<string, {at?: Timestamp; jobName?: string | null}>;
    const fresh = Object.entries(reservations).filter(([, r]) => r.at instanceof Timestamp && now().getTime() - r.at.toMillis() < keepMs);
    // A reserved job counts until the mirror has it in any state; from then on the active query
    // counts it while it runs, and nothing counts it once it has finished.
    const named = fresh.flatMap(([, r]) => (r.jobName ? [r.jobName] : []));
    const docs = named.length === 0 ? [] : await tx.getAll(...named.map(name => firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name))));
    const mirrored = new Set(docs.filter(doc => doc.exists).map(doc => doc.get('name') as string));
    const pending = fresh.filter(([, r]) => !r.jobName || !mirrored.has(r.jobName)).length;
    if (!decide(active.size + pending)) return false;
    const kept = Object.fromEntries(fresh);
    tx.set(slotRef, {reservations: {...kept, [key]: {at: Timestamp.fromDate(now()), jobName: null}}});
    return true;
  }, {maxAttempts: 30}); // a burst of creates for one team queues on this document; each waits its turn
}

/** Records which job a reservation became, or drops it when the create failed. */
export async function settleTeamSlot(firestore: Firestore, team: string, key: string, jobName: string | undefined): Promise<void> {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  await slotRef.update({[`reservations.${key}`]: jobName ? {at: FieldValue.serverTimestamp(), jobName} : FieldValue.delete()});
}
