// The ground-truth check of a whole run (issue 7, "Prove it holds"): after any run, compare what
// really happened (the simulator's history), what nasmon recorded (Firestore history, audit trail,
// enforcement state) and what a subscriber received. Pure: records in, report out; the collector in
// collect-truth-records.ts reads the records of a real run.
import {checkEnforcement} from './check-enforcement.js';
import {checkEvents} from './check-events.js';
import {checkJobHistory} from './check-history.js';
import {padWindows, type FaultWindow} from './fault-windows.js';
import {Findings, type GroundTruthReport} from './ground-truth-report.js';
import type {RecordedTransition, TruthRecords} from './truth-records.js';

/** How strict to be, and what to excuse. All times are ms on the simulator's clock. */
export interface GroundTruthOptions {
  /**
   * A true state held at least this long in plain sight must have been recorded: a few poll
   * intervals (e.g. 3 × 10 s). Shorter states may fall between two polls and are not required.
   * Simulated ms: with the simulator's clock at time scale X, X × the real interval.
   */
  readonly visibleAfterMs: number;
  /**
   * Declared faults; what nasmon could not see while they lasted is not held against it. Declare the
   * time before nasmon started watching as one too, if jobs existed before it did.
   */
  readonly faultWindows?: readonly FaultWindow[];
  /** Widens every window on both sides: recovery after a fault takes a while. Default 0. */
  readonly faultMarginMs?: number;
  /** Cancels nasmon may send to one job; default 1 (a re-issue after `reissueAfter` needs 2). */
  readonly allowedCancelsPerJob?: number;
  /** Cancels the test itself sent to the simulator (not through nasmon), per job name. */
  readonly externalCancels?: Readonly<Record<string, number>>;
}

/** Compares the three records of a run; `passed` only when every count is zero. */
export function checkGroundTruth(records: TruthRecords, options: GroundTruthOptions): GroundTruthReport {
  const findings = new Findings();
  const windows = padWindows(options.faultWindows ?? [], options.faultMarginMs ?? 0);
  const nowMs = Date.parse(records.truth.now);
  const trueJobs = new Map(records.truth.jobs.map(job => [job.name, job]));
  const historyByJob = new Map<string, RecordedTransition[]>();
  for (const entry of records.history) historyByJob.set(entry.job, [...(historyByJob.get(entry.job) ?? []), entry]);
  let trueStates = 0;
  for (const name of new Set([...trueJobs.keys(), ...historyByJob.keys()])) {
    trueStates += checkJobHistory(name, trueJobs.get(name), historyByJob.get(name) ?? [], {visibleAfterMs: options.visibleAfterMs, windows, nowMs}, findings);
  }
  const events = checkEvents(records.events, records.history, records.audit, findings);
  const servedCancels = checkEnforcement(records.audit, records.enforcement, records.truth.jobs, {
    allowedCancelsPerJob: options.allowedCancelsPerJob ?? 1, externalCancels: options.externalCancels ?? {}, windows,
  }, findings);
  return findings.report({
    jobs: trueJobs.size, trueStates, recordedTransitions: records.history.length, events, deliveries: records.events.length,
    auditEntries: records.audit.length, servedCancels,
  });
}
