// One job's Firestore history against its true timeline: nothing visible missed, nothing invented or
// reordered, each jump over unseen states flagged `skipped` and no other, each transition once, and
// the sequence numbers 1, 2, 3… in document order with each entry's previousState the one before it.
import {isSkippedTransition} from '../../shared/core/poll/transition.js';
import {alignToTimeline} from './align-history.js';
import {longestClearStretchMs, type FaultWindow} from './fault-windows.js';
import type {Findings} from './ground-truth-report.js';
import {formatMs, isSettled, trueTimeline, type TimelineEntry} from './true-timeline.js';
import type {RecordedTransition, TrueJob} from './truth-records.js';

/** What {@link checkJobHistory} needs besides the records. */
export interface HistoryCheckSettings {
  readonly visibleAfterMs: number;
  /** Padded and merged (see padWindows). */
  readonly windows: readonly FaultWindow[];
  /** The simulator's clock when its history was taken. */
  readonly nowMs: number;
}

/** Checks one job; returns how many true states it had. */
export function checkJobHistory(
  name: string, job: TrueJob | undefined, recorded: readonly RecordedTransition[], settings: HistoryCheckSettings, findings: Findings,
): number {
  // In sequence order; a document whose id is not its sequence is reported on its own.
  const entries = [...recorded].sort((a, b) => a.sequence - b.sequence || a.docId.localeCompare(b.docId));
  checkSequences(name, entries, findings);
  if (!job) {
    if (entries.length > 0) findings.add('orderViolation', name, `${entries.length} transitions recorded for a job the simulator never had`);
    return 0;
  }
  const timeline = trueTimeline(job, settings.nowMs);
  // A state recorded again right after itself is a duplicate, not a second true state to look for.
  const distinct = entries.filter((entry, i) => {
    const before = entries[i - 1];
    if (before?.state !== entry.state) return true;
    findings.add('duplicate', name, `${entry.state} recorded twice in a row (sequence ${before.sequence} and ${entry.sequence})`);
    return false;
  });
  const matches = alignToTimeline(distinct.map(entry => entry.state), timeline);
  const truth = timeline.map(entry => entry.state).join(' > ');
  distinct.forEach((entry, i) => {
    if (matches[i] === undefined) findings.add('orderViolation', name, `${entry.state} (sequence ${entry.sequence}) is not next in the true order ${truth}`);
  });
  checkSkippedFlags(name, distinct, matches, timeline, settings.visibleAfterMs, findings);
  checkMissed(name, timeline, new Set(matches.filter(i => i !== undefined)), settings, findings);
  return timeline.length;
}

function checkSequences(name: string, entries: readonly RecordedTransition[], findings: Findings): void {
  const bySequence = new Map<number, RecordedTransition[]>();
  for (const entry of entries) bySequence.set(entry.sequence, [...(bySequence.get(entry.sequence) ?? []), entry]);
  for (const [sequence, same] of bySequence) {
    if (same.length > 1) findings.add('duplicate', name, `${same.length} history entries carry sequence ${sequence} (${same.map(e => `${e.docId}: ${e.state}`).join(', ')})`);
  }
  entries.forEach((entry, i) => {
    if (Number(entry.docId) !== entry.sequence) findings.add('orderViolation', name, `history document ${entry.docId} holds sequence ${entry.sequence}`);
    const before = entries[i - 1];
    const expectedPrevious = before?.state ?? null;
    if (entry.previousState !== expectedPrevious) {
      findings.add('orderViolation', name, `sequence ${entry.sequence} says previousState ${entry.previousState}, but the entry before it is ${expectedPrevious ?? 'none'}`);
    }
    if (!before) {
      if (entry.sequence !== 1) findings.add('orderViolation', name, `the history starts at sequence ${entry.sequence}, not 1`);
    } else if (entry.sequence > before.sequence + 1) {
      findings.add('orderViolation', name, `the sequence jumps from ${before.sequence} to ${entry.sequence}`);
    }
  });
}

// A transition skipped states exactly when true states lie between its true entry and the previous
// recorded one's (for a first sighting: before it). That is the flag's whole contract, with one
// exception no poller can honour: a state shorter than polling's resolution that left no trace. A
// job that went RUNNING → CANCELLING → SUCCEEDED within one poll interval looks exactly like one
// that went RUNNING → SUCCEEDED; so does a QUEUED job first seen PENDING. RUNNING does leave a
// trace (the job's startTime), so missing it is never excused.
function checkSkippedFlags(
  name: string, entries: readonly RecordedTransition[], matches: ReadonlyArray<number | undefined>, timeline: readonly TimelineEntry[],
  visibleAfterMs: number, findings: Findings,
): void {
  let previous = -1;
  entries.forEach((entry, i) => {
    const index = matches[i];
    if (index === undefined) return;
    const between = timeline.slice(previous + 1, index);
    const unseen = between.map(t => t.state);
    const from = previous < 0 ? 'first sighting' : timeline[previous]!.state;
    const traceless = between.every(t => t.endMs - t.startMs < visibleAfterMs && t.state !== 'JOB_STATE_RUNNING')
      && !isSkippedTransition(previous < 0 ? null : timeline[previous]!.state, entry.state);
    if (unseen.length > 0 && !entry.skipped && !traceless) {
      findings.add('unflaggedGap', name, `${from} → ${entry.state} (sequence ${entry.sequence}) says skipped: false, but the job passed ${unseen.join(' > ')}`);
    } else if (unseen.length === 0 && entry.skipped) {
      findings.add('falseFlag', name, `${from} → ${entry.state} (sequence ${entry.sequence}) says skipped: true, but no state came between`);
    }
    previous = index;
  });
}

function checkMissed(name: string, timeline: readonly TimelineEntry[], recorded: ReadonlySet<number>, settings: HistoryCheckSettings, findings: Findings): void {
  const settled = isSettled(timeline);
  // A job created and deleted between two polls was never there to see: its deletion is of a job
  // nasmon never knew, and no later poll can tell it existed. Only a job seen (or visible) before can go missing.
  const everVisible = recorded.size > 0 || timeline.some(entry => entry.state !== 'DELETED'
    && longestClearStretchMs(entry.startMs, entry.endMs, settings.windows) >= settings.visibleAfterMs);
  timeline.forEach((entry, i) => {
    if (recorded.has(i)) return;
    if (entry.state === 'DELETED' && !everVisible) return;
    const clear = longestClearStretchMs(entry.startMs, entry.endMs, settings.windows);
    if (clear < settings.visibleAfterMs) return;
    const final = i === timeline.length - 1;
    if (final && settled) {
      findings.add('missed', name, `final state ${entry.state} (since ${entry.time}, ${formatMs(clear)} before the end outside fault windows) not recorded by the end`);
    } else {
      findings.add('missed', name, `${entry.state} held ${formatMs(entry.endMs - entry.startMs)} from ${entry.time} (${formatMs(clear)} in plain sight) but never recorded`);
    }
  });
}
