// What one gate instance knows of a team's slots: the slot document, the settlements, and the team's
// active jobs in the mirror, read side by side (readTeamView), and the count they give (countOf).
import {Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, refsOf} from './collections.js';
import {isActiveInMirror} from './job-doc.js';

/** What became of a reservation: the job its create made, or null when the create failed. */
export interface Settlement {
  readonly jobName: string | null;
  readonly at?: Timestamp;
}

/** A team's slots as one instance last read or wrote them. */
export interface TeamView {
  /** When the mirror was read (the instance's clock, ms): the age of `active`. */
  readonly readAt: number;
  /** Firestore's time of what the view knows: its read's, then its own latest write's. */
  knownAt: Timestamp;
  /** The slot document's update time, the precondition of the next reservation; undefined: no document. */
  updateTime?: Timestamp;
  /** The slot document's reservations, by key: when each was made. */
  reservations: Map<string, Timestamp>;
  /** Settlements known to be stored (in the settlements document, or in the slot document's entry), by reservation key. */
  readonly settled: Map<string, Settlement>;
  /** The team's jobs the mirror showed active. */
  readonly active: ReadonlySet<string>;
  /** Reserved jobs the mirror had, in any state: from then on the query counts them, not the reservation. */
  readonly mirrored: ReadonlySet<string>;
}

/**
 * The slot document of a team (its reservations, written only by reservations) and its settlements
 * document (what each reservation became, written with audit entries).
 */
export function slotRefs(firestore: Firestore, team: string): {slot: DocumentReference; settled: DocumentReference} {
  return {slot: firestore.collection(COLLECTIONS.teamSlots).doc(team), settled: firestore.collection(COLLECTIONS.teamSettlements).doc(team)};
}

/**
 * The reservations still counted: not expired (`keepMs` after the reservation, or after its
 * settlement), not failed, and not tied to a job the mirror has.
 */
export function pendingOf(view: TeamView, nowMs: number, keepMs: number): string[] {
  return [...view.reservations.keys()].filter(key => {
    const settlement = view.settled.get(key);
    if (isExpired(view, key, nowMs, keepMs) || settlement?.jobName === null) return false;
    return !(settlement?.jobName && view.mirrored.has(settlement.jobName));
  });
}

// A reservation counts for `keepMs` after it was made, or after its settlement if that came later.
function isExpired(slots: SlotDocs, key: string, nowMs: number, keepMs: number): boolean {
  const since = Math.max(slots.reservations.get(key)!.toMillis(), slots.settled.get(key)?.at?.toMillis() ?? 0);
  return nowMs - since >= keepMs;
}

/** Active jobs in the mirror plus reservations not mirrored yet: what a team's limit is held against. */
export function countOf(view: TeamView, nowMs: number, keepMs: number): number {
  return view.active.size + pendingOf(view, nowMs, keepMs).length;
}

/**
 * The slot and settlements documents and the mirror documents of `guessed` jobs (one batched get),
 * and the team's active jobs in the mirror (a query), read side by side; then, only for settled
 * jobs neither the query returned nor the guess covered, their mirror documents (unmirrored, or
 * finished). The reads are not one snapshot, so the count is a union by name: a job counts when
 * the query or its own document shows it active, or when the mirror does not have it yet.
 */
export async function readTeamView(firestore: Firestore, team: string, clock: ViewClock, guessed: ReadonlySet<string>): Promise<TeamView> {
  const refs = slotRefs(firestore, team);
  const activeQuery = firestore.collection(COLLECTIONS.jobs)
    .where('team', '==', team).where('active', '==', true).select('name');
  const guesses = [...guessed];
  const [[slot, settledDoc, ...guessedDocs], activeDocs] = await Promise.all([
    firestore.getAll(refs.slot, refs.settled, ...guesses.map(refsOf(firestore).job)), activeQuery.get(),
  ]);
  const parsed = parseSlotDocs(slot!, settledDoc!);
  const active = new Set(activeDocs.docs.map(doc => doc.get('name') as string));
  const docs = new Map(guessedDocs.map((doc, index) => [guesses[index]!, doc]));
  const unlisted = unlistedOf(parsed, active, clock);
  await readMirrorDocs(firestore, unlisted.filter(name => !docs.has(name)), docs);
  return assembleView(clock.nowMs, earliest(slot!.readTime, activeDocs.readTime), parsed, {listed: active, unlisted, docs});
}

/** A team's slot and settlements documents, parsed: see {@link TeamView}. */
export interface SlotDocs {
  readonly updateTime?: Timestamp;
  readonly reservations: Map<string, Timestamp>;
  readonly settled: Map<string, Settlement>;
}

/** Parses a team's slot and settlements documents (either may be missing). */
export function parseSlotDocs(slot: DocumentSnapshot | undefined, settledDoc: DocumentSnapshot | undefined): SlotDocs {
  const reservations = new Map<string, Timestamp>();
  const settled = new Map<string, Settlement>();
  for (const [key, value] of Object.entries((slot?.get('reservations') ?? {}) as Record<string, {at?: unknown; jobName?: unknown}>)) {
    if (!(value?.at instanceof Timestamp)) continue;
    reservations.set(key, value.at);
    // Slot documents written before settlements had a document of their own name the job here.
    if (typeof value.jobName === 'string') settled.set(key, {jobName: value.jobName});
  }
  for (const [key, value] of Object.entries((settledDoc?.get('settled') ?? {}) as Record<string, {jobName?: unknown; at?: unknown}>)) {
    const {jobName, at} = value ?? {};
    settled.set(key, {jobName: typeof jobName === 'string' ? jobName : null, ...(at instanceof Timestamp ? {at} : {})});
  }
  return {...(slot?.exists ? {updateTime: slot.updateTime!} : {}), reservations, settled};
}

/** When a view is read (the instance's clock, ms), and how long a reservation counts. */
export interface ViewClock {
  readonly nowMs: number;
  readonly keepMs: number;
}

/**
 * The jobs of live settled reservations that `active` lacks: their own mirror documents tell
 * whether they count. Expired ones count anyway no more, so their documents are not read.
 */
export function unlistedOf(slots: SlotDocs, active: ReadonlySet<string>, {nowMs, keepMs}: ViewClock): string[] {
  return [...new Set([...slots.settled].flatMap(([key, s]) =>
    (slots.reservations.has(key) && s.jobName && !active.has(s.jobName) && !isExpired(slots, key, nowMs, keepMs) ? [s.jobName] : [])))];
}

/** Reads the mirror documents of `names` (one batched get) into `docs`. */
export async function readMirrorDocs(firestore: Firestore, names: readonly string[], docs: Map<string, DocumentSnapshot>): Promise<void> {
  if (names.length === 0) return;
  (await firestore.getAll(...names.map(refsOf(firestore).job))).forEach((doc, index) => docs.set(names[index]!, doc));
}

/** What the mirror showed of a team: see {@link assembleView}. */
export interface MirrorLook {
  /** The team's jobs a query listed active. */
  readonly listed: ReadonlySet<string>;
  /** {@link unlistedOf} the team's slot documents and `listed`. */
  readonly unlisted: readonly string[];
  /** The mirror documents read: every one of `unlisted`, perhaps more. */
  readonly docs: ReadonlyMap<string, DocumentSnapshot>;
}

/** A team's view from its slot documents (the view takes them over) and what the mirror showed. */
export function assembleView(nowMs: number, knownAt: Timestamp, slots: SlotDocs, {listed, unlisted, docs}: MirrorLook): TeamView {
  const active = new Set(listed);
  const mirrored = new Set(listed);
  for (const name of unlisted) {
    const doc = docs.get(name)!;
    if (!doc.exists) continue;
    mirrored.add(name);
    if (isActive(doc)) active.add(name); // mirrored after the query ran
  }
  return {readAt: nowMs, knownAt, ...slots, active, mirrored};
}

/** The earlier of two read times: reads side by side know what both saw. */
export const earliest = (a: Timestamp, b: Timestamp): Timestamp => (a.valueOf() <= b.valueOf() ? a : b);

// Mirror documents written before the `active` field tell it by their state.
function isActive(doc: DocumentSnapshot): boolean {
  const active: unknown = doc.get('active');
  return typeof active === 'boolean' ? active : isActiveInMirror(doc.get('state'), doc.get('deleted'));
}
