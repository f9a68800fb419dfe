// Every team's slots in one read: what lets a gate instance reserve for a team it has not served
// lately without reading first (see createTeamSlots).
import type {DocumentSnapshot, Firestore, Timestamp} from '@google-cloud/firestore';
import {COLLECTIONS} from './collections.js';
import {assembleView, earliest, parseSlotDocs, readMirrorDocs, unlistedOf, type TeamView, type ViewClock} from './team-view.js';

/** Every team's view as of one read. */
export interface TeamBoard {
  /** When it was read (the instance's clock, ms). */
  readonly readAt: number;
  /** Firestore's time of the read: the earliest of its side-by-side reads. */
  readonly readTime: Timestamp;
  /** The view of every team with a slot document, a settlements document or an active job. */
  readonly views: ReadonlyMap<string, TeamView>;
  /** A team with none of those: no reservations, no slot document, nothing active (as of the read). */
  emptyView(): TeamView;
}

/**
 * Reads every team's slots at once: all slot and settlements documents and the mirror's active jobs
 * (three reads side by side), then the mirror documents of settled jobs the active ones do not
 * include (one batched get). The same union by name as readTeamView, for every team in a handful of
 * round trips, whatever the number of teams.
 */
export async function readTeamBoard(firestore: Firestore, clock: ViewClock): Promise<TeamBoard> {
  const [slotDocs, settledDocs, activeDocs] = await Promise.all([
    firestore.collection(COLLECTIONS.teamSlots).get(),
    firestore.collection(COLLECTIONS.teamSettlements).get(),
    firestore.collection(COLLECTIONS.jobs).where('active', '==', true).select('name', 'team').get(),
  ]);
  const readTime = earliest(earliest(slotDocs.readTime, settledDocs.readTime), activeDocs.readTime);
  const slots = new Map(slotDocs.docs.map(doc => [doc.id, doc]));
  const settlements = new Map(settledDocs.docs.map(doc => [doc.id, doc]));
  const active = new Map<string, Set<string>>();
  for (const doc of activeDocs.docs) {
    const team: unknown = doc.get('team');
    if (typeof team !== 'string') continue; // a job without a team label counts against no team
    const names = active.get(team) ?? active.set(team, new Set()).get(team)!;
    names.add(doc.get('name') as string);
  }
  const teams = new Set([...slots.keys(), ...settlements.keys(), ...active.keys()]);
  const parsed = [...teams].map(team => {
    const slotDocs = parseSlotDocs(slots.get(team), settlements.get(team));
    const listed = active.get(team) ?? NONE;
    return {team, slotDocs, listed, unlisted: unlistedOf(slotDocs, listed, clock)};
  });
  const docs = new Map<string, DocumentSnapshot>();
  await readMirrorDocs(firestore, [...new Set(parsed.flatMap(each => each.unlisted))], docs);
  const views = new Map(parsed.map(({team, slotDocs, listed, unlisted}) => [team, assembleView(clock.nowMs, readTime, slotDocs, {listed, unlisted, docs})]));
  const emptyView = () => assembleView(clock.nowMs, readTime, parseSlotDocs(undefined, undefined), {listed: NONE, unlisted: [], docs});
  return {readAt: clock.nowMs, readTime, views, emptyView};
}

const NONE: ReadonlySet<string> = new Set();
