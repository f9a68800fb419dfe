// Per-team create slots: the concurrency limit must hold even when creates race each other and the
// poller has not mirrored the newest jobs yet.
import {FieldPath, FieldValue, Timestamp, type Firestore, type WriteBatch} from '@google-cloud/firestore';
import type {SlotSettlement} from '../../ports/gate-store.js';
import {readTeamBoard, type TeamBoard} from './team-board.js';
import {countOf, pendingOf, readTeamView, slotRefs, type TeamView} from './team-view.js';

/** One gate instance's team slots: see {@link createTeamSlots}. */
export interface TeamSlots {
  /**
   * Counts the team's active jobs, asks `decide`, and reserves a slot under `key` if it says yes;
   * false (and nothing written) if it says no. `alsoWrite` adds writes to the reservation's commit
   * (called after `decide` said yes, perhaps more than once: the write may be tried again).
   */
  reserve(team: string, key: string, decide: (active: number) => boolean, alsoWrite?: (batch: WriteBatch) => void): Promise<boolean>;
  /** The same count as reserve, read afresh: for validateOnly, which reserves nothing. */
  count(team: string): Promise<number>;
  /**
   * Adds to `batch` what the reservation became: its job, or nothing (the create failed: the slot is
   * free). Returns what to call once the batch is committed.
   */
  settle(batch: WriteBatch, slot: SlotSettlement): () => void;
}

/** Options of {@link createTeamSlots}. */
export interface TeamSlotsOptions {
  readonly now: () => Date;
  /** How long a reservation counts before the mirror must show the job. */
  readonly keepMs: number;
  /** How long a read of the mirror may serve this instance's next reservations of the team; 0: never. */
  readonly viewMaxAgeMs?: number;
  /**
   * While creates keep coming, read every team's slots at once this often (in the background), so
   * that a team's create needs no read of its own; 0 (the default): never. Only useful below
   * `viewMaxAgeMs`, which bounds how old a read may serve.
   */
  readonly boardRefreshMs?: number;
}

/**
 * Counts the team's active jobs in the mirror, adds reservations not yet mirrored (by job name, so
 * nothing counts twice), and reserves slots. Reservations expire after `keepMs`: by then the poller
 * has mirrored the job, or the create never happened.
 *
 * Optimistic rather than a transaction: the slot document is written only if it is still as this
 * instance last knew it (its update time, or its absence); otherwise everything is read again. Only
 * reservations write that document (settlements have a document of their own, written with the
 * audit entries), so two racing creates can never both pass on the same count, on one instance or several.
 *
 * Within `viewMaxAgeMs` of its last read, an instance reserves without reading: its view of the
 * slot document is exact (the precondition proves it), and the mirror's changes since can only
 * lower the count (jobs ending) except for jobs created outside the gate, which the poller had not
 * mirrored yet either: they count `viewMaxAgeMs` later than they would. A view that says no is read
 * again, so a job that ended frees its slot at once.
 *
 * The instance remembers, per team, the settled jobs it last found unmirrored (and the ones it
 * settled since), and reads their mirror documents side by side with the rest.
 *
 * With `boardRefreshMs`, the views also come from a read of every team at once (team-board.ts),
 * started in the background after a reservation, or by a count, once the last is that old. A team this
 * instance has not served within `viewMaxAgeMs` then still reserves with the write alone, and a
 * dry run counts without a read. The board serves for a team only once the instance's own view is
 * old, and its slot state only if it was read after everything the view knows (Firestore's times).
 */
export function createTeamSlots(firestore: Firestore, options: TeamSlotsOptions): TeamSlots {
  const {now, keepMs, viewMaxAgeMs = 0, boardRefreshMs = 0} = options;
  const views = new Map<string, TeamView>();
  let board: TeamBoard | undefined;
  let refreshing: Promise<void> | undefined;

  // The board pays only while calls keep coming: the call before this one came within viewMaxAgeMs.
  // A lone create on an idle instance reads its own team, and starts no read of every team beside
  // its audit write (bench:api: that read slowed such creates by a quarter).
  let lastCallMs: number | undefined;
  const refreshBoard = () => {
    const nowMs = now().getTime();
    const busy = lastCallMs !== undefined && nowMs - lastCallMs < viewMaxAgeMs;
    lastCallMs = nowMs;
    if (boardRefreshMs <= 0 || !busy || refreshing || (board && nowMs - board.readAt < boardRefreshMs)) return;
    refreshing = readTeamBoard(firestore, {nowMs: now().getTime(), keepMs}).then(read => {
      board = read;
    }, () => {
      // Nothing lost: without a fresh board, each team is read on its own, as without one.
    }).finally(() => (refreshing = undefined));
  };
  const freshBoard = (nowMs: number) => (board && nowMs - board.readAt < viewMaxAgeMs ? board : undefined);

  // A team's view from a fresh board (a team the board does not list had nothing when it was read).
  // When this instance has written the team's slot document since the board was read, its own slot
  // state is the newer one, and the board adds only its look at the mirror; a view read after the
  // board is newer in both.
  const fromBoard = (team: string, fresh: TeamBoard): TeamView => {
    const known = views.get(team);
    if (known && known.readAt >= fresh.readAt && known.knownAt.valueOf() >= fresh.readTime.valueOf()) return known;
    const listed = fresh.views.get(team) ?? fresh.emptyView();
    return known && known.knownAt.valueOf() > fresh.readTime.valueOf()
      ? {...known, readAt: fresh.readAt, active: listed.active, mirrored: listed.mirrored}
      : listed;
  };

  // What this instance may reserve from without reading: its own view while fresh, else the board's,
  // kept as its own. Only reservations replace a view (the gate store queues a team's reservations),
  // so no write in flight is left updating a view the instance no longer holds; counts only look.
  const freshView = (team: string): TeamView | undefined => {
    const nowMs = now().getTime();
    const known = views.get(team);
    if (known && nowMs - known.readAt < viewMaxAgeMs) return known;
    const fresh = freshBoard(nowMs);
    if (!fresh) return undefined;
    const view = fromBoard(team, fresh);
    views.set(team, view);
    return view;
  };

  // The settled jobs of the team's pending reservations, as this instance last knew them: the
  // mirror documents the next read looks at side by side with the rest.
  const guesses = (team: string): Set<string> => {
    const view = views.get(team);
    return new Set(view ? pendingOf(view, now().getTime(), keepMs).flatMap(key => view.settled.get(key)?.jobName ?? []) : []);
  };

  const read = async (team: string) => {
    const view = await readTeamView(firestore, team, {nowMs: now().getTime(), keepMs}, guesses(team));
    views.set(team, view);
    return view;
  };

  // Adds `key` to the slot document and removes the reservations no longer pending, on condition
  // that the document is as `view` has it; the settlements of the reservations it drops are deleted
  // in the same commit. Only the fields that change are sent: a team's document holds its creates
  // of a poll interval (more while the poller is behind), and a create should not rewrite them all.
  const write = async (team: string, view: TeamView, key: string, alsoWrite?: (batch: WriteBatch) => void) => {
    const nowMs = now().getTime();
    const reservations = new Map(pendingOf(view, nowMs, keepMs).map(kept => [kept, view.reservations.get(kept)!]));
    const at = Timestamp.fromMillis(nowMs);
    reservations.set(key, at);
    const refs = slotRefs(firestore, team);
    const removed = [...view.reservations.keys()].filter(kept => !reservations.has(kept));
    const dropped = [...view.settled.keys()].filter(settled => !reservations.has(settled));
    const batch = firestore.batch();
    if (view.updateTime) {
      const changes = removed.flatMap(gone => [new FieldPath('reservations', gone), FieldValue.delete()]);
      batch.update(refs.slot, new FieldPath('reservations', key), {at}, ...changes, {lastUpdateTime: view.updateTime});
    } else {
      batch.create(refs.slot, {reservations: {[key]: {at}}});
    }
    alsoWrite?.(batch);
    if (dropped.length > 0) batch.set(refs.settled, {settled: Object.fromEntries(dropped.map(settled => [settled, FieldValue.delete()]))}, {merge: true});
    try {
      const [result] = await batch.commit();
      view.updateTime = result!.writeTime;
      view.knownAt = result!.writeTime;
      view.reservations = reservations;
      for (const settled of dropped) view.settled.delete(settled);
    } catch (error) {
      views.delete(team);
      throw error;
    }
  };

  // Reserves from a fresh view with the write alone; else, or if the write finds the slot document
  // changed, reads the team and tries again.
  const reserveNow = async (team: string, key: string, decide: (active: number) => boolean, alsoWrite?: (batch: WriteBatch) => void): Promise<boolean> => {
    const known = freshView(team);
    if (known && decide(countOf(known, now().getTime(), keepMs))) {
      try {
        await write(team, known, key, alsoWrite);
        return true;
      } catch (error) {
        if (!SLOT_CHANGED.has(codeOf(error))) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      const view = await read(team);
      if (!decide(countOf(view, now().getTime(), keepMs))) return false;
      try {
        await write(team, view, key, alsoWrite);
        return true;
      } catch (error) {
        if (!SLOT_CHANGED.has(codeOf(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  };

  return {
    async reserve(team, key, decide, alsoWrite) {
      try {
        return await reserveNow(team, key, decide, alsoWrite);
      } finally {
        // After the reservation, not beside it: a create that must read its team reads alone.
        refreshBoard();
      }
    },

    // A kept view may miss other instances' reservations (only a write's precondition would tell),
    // so a count reads: the board, if it is fresh or being read (one read serves the dry runs of
    // every team), else the team alone.
    async count(team) {
      refreshBoard();
      if (!freshBoard(now().getTime())) await refreshing;
      const nowMs = now().getTime();
      const fresh = freshBoard(nowMs);
      return countOf(fresh ? fromBoard(team, fresh) : await read(team), nowMs, keepMs);
    },
    settle(batch, slot) {
      const jobName = slot.jobName ?? null;
      batch.set(slotRefs(firestore, slot.team).settled, {settled: {[slot.key]: {jobName, at: FieldValue.serverTimestamp()}}}, {merge: true});
      return () => void views.get(slot.team)?.settled.set(slot.key, {jobName, at: Timestamp.fromDate(now())});
    },
  };
}

/** The slot document changed since it was read: deleted (NOT_FOUND), created (ALREADY_EXISTS), updated (FAILED_PRECONDITION). */
const SLOT_CHANGED = new Set([5, 6, 9]);
/** As many tries as the transaction it replaced had: creates of one team on many instances at once. */
const MAX_ATTEMPTS = 30;

const codeOf = (error: unknown) => (error as {code?: number}).code ?? 0;
