// The yardstick of the poller's fault and proof tests: what the poller should have recorded, derived
// from the simulator's true history and the instants at which cycles polled, compared with the
// Firestore history and the events a subscriber received.
import type {Firestore} from '@google-cloud/firestore';
import {trueHistory, type PollerFixture, type ReceivedEvent, type TrueJob} from './poller.support.js';

const STATE_EVENTS = new Set(['nasmon.nasjob.v1.stateChanged', 'nasmon.nasjob.v1.deleted']);

/** One transition the poller should report: the state it saw at a poll, and whether states were missed. */
export interface ExpectedTransition {
  readonly state: string;
  readonly previousState: string | null;
  /** The poll instant at which the new state was first true. */
  readonly at: string;
  /** True when the job passed through other states since the previous poll (or before its first sighting). */
  readonly skipped: boolean;
  /** The true states since the previous poll, the new one last. */
  readonly visited: readonly string[];
}

/**
 * The job's true state at each poll instant, consecutive repeats collapsed, with deletion as a final
 * `DELETED` state. Times are compared as strings: the simulator writes every timestamp in one format
 * (UTC, six fractional digits), so string order is time order without losing the microseconds.
 */
export function expectedTransitions(job: TrueJob, instants: readonly string[]): ExpectedTransition[] {
  const timeline = [...job.states, ...(job.deleteTime === undefined ? [] : [{state: 'DELETED', time: job.deleteTime}])];
  const out: ExpectedTransition[] = [];
  let previousAt: string | undefined;
  let previousState: string | null = null;
  for (const at of [...instants].sort()) {
    const since = timeline.filter(entry => (previousAt === undefined || entry.time > previousAt) && entry.time <= at);
    const current = timeline.filter(entry => entry.time <= at).at(-1)?.state;
    if (current !== undefined && current !== previousState) {
      const visited = since.map(entry => entry.state).filter((state, i, all) => state !== all[i - 1]);
      out.push({state: current, previousState, at, skipped: visited.length > 1, visited});
      previousState = current;
    }
    if (current !== undefined) previousAt = at;
  }
  return out;
}

/** What {@link compareWithTruth} found; `mismatches` is empty when everything agrees. */
export interface TruthReport {
  readonly jobs: number;
  readonly transitions: number;
  /** Distinct state/deleted events received. */
  readonly events: number;
  /** Deliveries beyond the first of an event id (the same ce-id delivered again). */
  readonly duplicateDeliveries: number;
  readonly skippedFlagged: number;
  readonly mismatches: string[];
}

/** State and deleted events as received, first delivery of each id, grouped by job in arrival order. */
export function stateEventsByJob(received: readonly ReceivedEvent[]): {byJob: Map<string, ReceivedEvent[]>; duplicates: number} {
  const seen = new Set<string>();
  const byJob = new Map<string, ReceivedEvent[]>();
  let duplicates = 0;
  for (const event of received.filter(e => STATE_EVENTS.has(e.type))) {
    if (seen.has(event.id)) {
      duplicates += 1;
      continue;
    }
    seen.add(event.id);
    const job = event.attributes['ce-nasjob'] ?? '';
    byJob.set(job, [...(byJob.get(job) ?? []), event]);
  }
  return {byJob, duplicates};
}

/** Every job's history entries (one collection-group query), in sequence order. */
async function storedHistories(firestore: Firestore): Promise<Map<string, Array<{state: string; sequence: number}>>> {
  const snapshot = await firestore.collectionGroup('history').get();
  const byJob = new Map<string, Array<{state: string; sequence: number}>>();
  for (const doc of snapshot.docs) {
    const entry = doc.data() as {name: string; state: string; sequence: number};
    byJob.set(entry.name, [...(byJob.get(entry.name) ?? []), entry]);
  }
  for (const entries of byJob.values()) entries.sort((a, b) => a.sequence - b.sequence);
  return byJob;
}

const short = (name: string) => name.slice(name.lastIndexOf('/') + 1);
const eventState = (event: ReceivedEvent) => (event.type.endsWith('deleted') ? 'DELETED' : String(event.data.state));

/** Compares Firestore history and received events with the truth at the given poll instants. */
export async function compareWithTruth(f: PollerFixture, instants: readonly string[]): Promise<TruthReport> {
  const truth = await trueHistory(f.sim);
  const stored = await storedHistories(f.firestore);
  const {byJob, duplicates} = stateEventsByJob(f.received);
  const mismatches: string[] = [];
  let transitions = 0;
  let skippedFlagged = 0;
  const idsPerTransition = new Map<string, Set<string>>();
  for (const event of f.received.filter(e => STATE_EVENTS.has(e.type))) {
    const key = `${event.attributes['ce-nasjob']}#${String(event.data.sequence)}`;
    idsPerTransition.set(key, (idsPerTransition.get(key) ?? new Set()).add(event.id));
  }
  for (const [key, ids] of idsPerTransition) if (ids.size > 1) mismatches.push(`${key}: ${ids.size} event ids for one transition`);
  for (const job of truth.values()) {
    const expected = expectedTransitions(job, instants);
    transitions += expected.length;
    const want = expected.map(t => t.state).join(' > ');
    const history = (stored.get(job.name) ?? []).map(entry => entry.state).join(' > ');
    if (history !== want) mismatches.push(`${short(job.name)} history: ${history} | expected: ${want}`);
    const events = byJob.get(job.name) ?? [];
    const got = events.map(eventState).join(' > ');
    if (got !== want) mismatches.push(`${short(job.name)} events: ${got} | expected: ${want}`);
    events.forEach((event, i) => {
      const t = expected[i];
      if (!t || event.type.endsWith('deleted') || eventState(event) !== t.state) return;
      if (event.data.skipped === true) skippedFlagged += 1;
      if (event.data.previousState !== t.previousState || event.data.skipped !== t.skipped) {
        mismatches.push(`${short(job.name)} #${i + 1} ${String(event.data.previousState)} > ${t.state}: skipped ${String(event.data.skipped)}, truth ${t.skipped} (${t.visited.join(' > ')})`);
      }
      if (Date.parse(String(event.data.observedTime)) !== Date.parse(t.at)) {
        mismatches.push(`${short(job.name)} #${i + 1} ${t.state} observed at ${String(event.data.observedTime)}, first true at poll ${t.at}`);
      }
    });
  }
  const events = [...byJob.values()].reduce((sum, list) => sum + list.length, 0);
  return {jobs: truth.size, transitions, events, duplicateDeliveries: duplicates, skippedFlagged, mismatches};
}

/** {@link compareWithTruth} once every expected transition has an event, or after `timeoutMs`. */
export async function waitForTruth(f: PollerFixture, instants: readonly string[], timeoutMs = 15_000): Promise<TruthReport> {
  const deadline = Date.now() + timeoutMs;
  let report = await compareWithTruth(f, instants);
  while (report.events < report.transitions && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250));
    report = await compareWithTruth(f, instants);
  }
  return report;
}
