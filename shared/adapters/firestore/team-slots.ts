// Per-team create slots: the concurrency limit must hold even when creates race each other and the
// poller has not mirrored the newest jobs yet.
import {FieldValue, Timestamp, type Firestore, type WriteBatch} from '@google-cloud/firestore';
import type {SlotSettlement} from '../../ports/gate-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';

const ACTIVE_STATES = ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING'];

type Reservations = Record<string, {at?: Timestamp; jobName?: string | null}>;

/** One gate instance's team slots: see {@link createTeamSlots}. */
export interface TeamSlots {
  /**
   * Counts the team's active jobs, asks `decide`, and reserves a slot under `key` if it says yes;
   * false (and nothing written) if it says no.
   */
  reserve(team: string, key: string, decide: (active: number) => boolean): Promise<boolean>;
  /** The same count as reserve: for validateOnly, which reserves nothing. */
  count(team: string): Promise<number>;
  /** Adds to `batch`: the reservation records which job it became, or is dropped when the create failed. */
  settle(batch: WriteBatch, slot: SlotSettlement): void;
}

/**
 * Counts the team's active jobs in the mirror, adds reservations not yet mirrored (by job name, so
 * nothing counts twice), and reserves slots. Reservations expire after `keepMs`: by then the poller
 * has mirrored the job, or the create never happened.
 *
 * Optimistic rather than a transaction: the reads run side by side outside any transaction, and
 * the reservation is written only if the slot document is still as read (its update time, or its
 * absence); otherwise everything is read again. Every create of the team writes that document, so
 * two racing creates cannot both pass on the same count. It saves a round trip over the
 * transaction (whose first read must come alone), and holds no lock on the mirror's documents that
 * the poller's writes would wait for. A job racing into the mirror between the reads is counted by
 * whichever read saw it active (see countTeam).
 *
 * The instance remembers, per team, the reserved jobs it last found unmirrored (and the ones it
 * settled since), and reads their mirror documents side by side with the rest: a team creating
 * steadily has such jobs most of the time (the poller mirrors a job within a poll interval), and
 * reading them only after the slot document showed them cost every create a round trip of its own.
 */
export function createTeamSlots(firestore: Firestore, now: () => Date, keepMs: number): TeamSlots {
  const unmirrored = new Map<string, Set<string>>();
  const counted = async (team: string) => {
    const result = await countTeam(firestore, team, now, keepMs, unmirrored.get(team) ?? new Set());
    unmirrored.set(team, new Set(result.pending.flatMap(([, r]) => (r.jobName ? [r.jobName] : []))));
    return result;
  };
  return {
    async reserve(team, key, decide) {
      const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
      for (let attempt = 1; ; attempt++) {
        const {active, pending, slot} = await counted(team);
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
    },
    count: async team => (await counted(team)).active,
    settle(batch, slot) {
      const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(slot.team);
      const value = slot.jobName ? {at: FieldValue.serverTimestamp(), jobName: slot.jobName} : FieldValue.delete();
      // A merge, not an update: should the slot document be gone, the audit entry in the batch still lands.
      batch.set(slotRef, {reservations: {[slot.key]: value}}, {merge: true});
      if (slot.jobName) unmirrored.set(slot.team, new Set([...(unmirrored.get(slot.team) ?? []), slot.jobName]));
    },
  };
}

/** The slot document changed between the read and the write: deleted (NOT_FOUND), created (ALREADY_EXISTS), updated (FAILED_PRECONDITION). */
const SLOT_CHANGED = new Set([5, 6, 9]);
/** As many tries as the transaction it replaced had: creates of one team on many instances at once. */
const MAX_ATTEMPTS = 30;

/**
 * The slot document, the team's active jobs in the mirror and the mirror documents of `guessed`
 * jobs, read side by side; then, only for reserved jobs neither the query returned nor the guess
 * covered, their mirror documents (unmirrored, or finished). The reads are not one snapshot, so the
 * count is a union by name: a job counts when the query or its own document shows it active, or
 * when the mirror does not have it yet.
 */
async function countTeam(firestore: Firestore, team: string, now: () => Date, keepMs: number, guessed: ReadonlySet<string>) {
  const slotRef = firestore.collection(COLLECTIONS.teamSlots).doc(team);
  const jobRef = (name: string) => firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name));
  const activeQuery = firestore.collection(COLLECTIONS.jobs)
    .where('team', '==', team).where('deleted', '==', false).where('state', 'in', ACTIVE_STATES).select('name');
  const guesses = [...guessed];
  const [slot, activeDocs, guessedDocs] = await Promise.all([
    slotRef.get(), activeQuery.get(), guesses.length === 0 ? [] : firestore.getAll(...guesses.map(jobRef)),
  ]);
  const active = new Set(activeDocs.docs.map(doc => doc.get('name') as string));
  const reservations = (slot.get('reservations') ?? {}) as Reservations;
  const fresh = Object.entries(reservations).filter(([, r]) => r.at instanceof Timestamp && now().getTime() - r.at.toMillis() < keepMs);
  const unlisted = [...new Set(fresh.flatMap(([, r]) => (r.jobName && !active.has(r.jobName) ? [r.jobName] : [])))];
  const docs = new Map(guessedDocs.map((doc, index) => [guesses[index]!, doc]));
  const unread = unlisted.filter(name => !docs.has(name));
  if (unread.length > 0) (await firestore.getAll(...unread.map(jobRef))).forEach((doc, index) => docs.set(unread[index]!, doc));
  // A reserved job the mirror has (in any state) is the query's from then on; until then it counts here.
  const mirrored = new Set(active);
  for (const name of unlisted) {
    const doc = docs.get(name)!;
    if (!doc.exists) continue;
    mirrored.add(name);
    if (ACTIVE_STATES.includes(doc.get('state') as string)) active.add(name); // mirrored after the query ran
  }
  const pending = fresh.filter(([, r]) => !r.jobName || !mirrored.has(r.jobName));
  return {active: active.size + pending.length, pending, slot};
}
