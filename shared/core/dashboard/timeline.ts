import type {HistoryEntry} from '../poll/apply-observation.js';
import {parseTimestampMs} from '../vertex/index.js';
import {shortState} from './job-row.js';

// A job's states over time, one lane per state: the bars of a lane are the spans the job spent in
// that state. Positions are fractions of the time axis, so the page only scales them to its width.

/** One span in one state; a final state is an instant (x0 = x1), drawn as a marker. */
export interface TimelineBar {
  readonly startTime: string;
  /** Absent while the job is still in this state. */
  readonly endTime?: string;
  readonly seconds: number;
  readonly x0: number;
  readonly x1: number;
  /** Polling missed states just before this one (the history's `skipped`). */
  readonly skipped: boolean;
}

/** Every span of one state, in time order. */
export interface TimelineLane {
  readonly state: string;
  readonly final: boolean;
  readonly bars: readonly TimelineBar[];
}

/** The axis and lanes, in order of each state's first appearance. */
export interface Timeline {
  readonly startTime: string;
  readonly endTime: string;
  /** False while the job is still active: the axis ends now. */
  readonly ended: boolean;
  readonly lanes: readonly TimelineLane[];
}

// States that end a job (DELETED is the history's own marker for a deletion): drawn as instants, since
// time spent in them says nothing. PAUSED is not one: a paused job may resume, so its span runs on.
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED', 'PARTIALLY_SUCCEEDED', 'DELETED']);

/** The timeline of `history` (any order) at `nowMs`; undefined for a job with no readable history. */
export function buildTimeline(history: readonly HistoryEntry[], nowMs: number): Timeline | undefined {
  const entries = [...history]
    .map(entry => ({entry, ms: parseTimestampMs(entry.enteredTime)}))
    .filter((e): e is {entry: HistoryEntry; ms: number} => e.ms !== undefined)
    .sort((a, b) => a.entry.sequence - b.entry.sequence);
  const first = entries[0];
  if (!first) return undefined;
  // Entry times come from Vertex where it stamps them and from nasmon's clock otherwise; a skew must
  // never draw a span backwards, so each start is held at or after the previous one.
  let previous = first.ms;
  const spans = entries.map(({entry, ms}) => {
    previous = Math.max(previous, ms);
    return {entry, state: shortState(entry.state), startMs: previous};
  });
  const last = spans[spans.length - 1]!;
  const ended = FINAL.has(last.state);
  const endMs = ended ? last.startMs : Math.max(nowMs, last.startMs);
  const width = Math.max(1, endMs - first.ms);
  const at = (ms: number) => (ms - first.ms) / width;
  const lanes = new Map<string, TimelineBar[]>();
  spans.forEach((span, index) => {
    const next = spans[index + 1];
    const final = FINAL.has(span.state);
    const stopMs = final ? span.startMs : next ? next.startMs : endMs;
    const bar: TimelineBar = {
      startTime: new Date(span.startMs).toISOString(),
      ...(final || next ? {endTime: new Date(stopMs).toISOString()} : {}),
      seconds: (stopMs - span.startMs) / 1000, x0: at(span.startMs), x1: at(stopMs), skipped: span.entry.skipped,
    };
    lanes.set(span.state, [...(lanes.get(span.state) ?? []), bar]);
  });
  return {
    startTime: new Date(first.ms).toISOString(), endTime: new Date(endMs).toISOString(), ended,
    lanes: [...lanes].map(([state, bars]) => ({state, final: FINAL.has(state), bars})),
  };
}
