// The soak's report: one object (printed as one JSON line with --json) and its human form.
import type {SecretHit} from '../../test/truth/secret-scan.js';
import type {CheckerOutcome} from './truth.js';
import type {apiFigures, eventFigures, truthFigures} from './figures.js';
import type {DetectionLatency, LatencyFigures} from './latency.js';
import type {MemoryPeak} from './memory.js';
import type {TargetPolling} from './poll-gaps.js';
import type {EarlyCancels, Recovery} from './recovery.js';
import type {Restart} from './supervisor.js';
import type {TargetRate} from './vertex-rate.js';

export interface SoakReport {
  readonly kind: 'soak';
  readonly passed: boolean;
  /** Why it did not pass, one line each (empty when it passed). */
  readonly problems: readonly string[];
  readonly options: {durationSeconds: number; jobs: number; targets: number; callers: number; seed: number; chaos: readonly string[]; gateShare: number; pollIntervalSeconds: number; settleSeconds: number};
  readonly wallSeconds: {startup: number; workload: number; settle: number; check: number; stop: number; total: number};
  readonly workload: {planned: number; appeared: number; seeded: number; viaGate: number; gateCreated: number; byScenario: Record<string, number>};
  readonly truth: ReturnType<typeof truthFigures>;
  readonly events: ReturnType<typeof eventFigures>;
  readonly api: ReturnType<typeof apiFigures>;
  readonly notifications: {slack: number; mail: number};
  readonly checker: CheckerOutcome;
  readonly latency: DetectionLatency;
  readonly memory: readonly MemoryPeak[];
  readonly vertex: {
    quota: {readsPerMinute: number; writesPerMinute: number; share: number; budgetReadsPerMinute: number; budgetWritesPerMinute: number};
    minutes: number; total: number; status429: number; status5xx: number; resets: number; targets: readonly TargetRate[];
  };
  /** How steadily each target was polled, from the workload's start to the checker's. */
  readonly polling: readonly TargetPolling[];
  readonly restarts: readonly Restart[];
  /** Each chaos scenario: its window, whether the checker was told of it, what it injected, how the system recovered. */
  readonly chaos: ReadonlyArray<{scenario: string; fromSeconds: number; toSeconds: number; excuses: boolean; injected: Record<string, unknown>; recovery?: Recovery}>;
  /** Enforce's cancels measured on the simulator's (Vertex's) clock: any before the policy's limit is early. */
  readonly enforceTiming: {simulatorClockOffsetSeconds: number} & EarlyCancels;
  readonly secretScan: {files: number; secrets: number; hits: readonly SecretHit[]};
  readonly logDir: string;
}

/** The report as a person reads it. */
export function formatReport(r: SoakReport): string {
  const lines: string[] = [];
  const o = r.options;
  const section = (title: string) => lines.push('', title);
  const row = (label: string, value: string | number) => lines.push(`  ${label.padEnd(30)} ${value}`);
  const counts = (record: Record<string, number>) => Object.entries(record).sort(([, a], [, b]) => b - a).map(([key, n]) => `${key} ${n}`).join(', ') || '–';

  lines.push(`nasmon soak: ${r.passed ? 'PASSED' : 'FAILED'} — ${o.jobs} jobs over ${o.durationSeconds} s, ${o.targets} targets, ${o.callers} callers, seed ${o.seed}${o.chaos.length ? `, chaos ${o.chaos.join(',')}` : ''}`);
  for (const problem of r.problems) lines.push(`  !!! ${problem}`);
  const w = r.wallSeconds;
  row('wall time (s)', `${w.total} total: start-up ${w.startup}, workload ${w.workload}, settle ${w.settle}, check ${w.check}, stop ${w.stop}`);

  section('workload');
  row('jobs appeared / planned', `${r.workload.appeared} / ${r.workload.planned} (seeded by other users ${r.workload.seeded}, through the gate ${r.workload.viaGate}, created ${r.workload.gateCreated})`);
  row('scenarios', counts(r.workload.byScenario));
  row('jobs in the simulator', r.truth.jobs);
  row('final states', counts(r.truth.finalStates));
  const l = r.truth.lifecycles;
  row('lifecycles', `succeeded ${l.succeeded}, failed ${l.failed} (PENDING→FAILED ${l.pendingToFailed}), cancelled ${l.cancelled}, deleted ${l.deleted}, trial failures ${l.trialFailures} in ${l.jobsWithTrialFailures} jobs`);
  row('true transitions', `jobs ${r.truth.jobTransitions} (deletions included), trials ${r.truth.trialTransitions}`);

  section('events on the soak\'s subscription');
  const d = r.events.duplicates;
  row('deliveries / distinct / duplicates', `${r.events.deliveries} / ${r.events.distinct} / ${d.total}${d.total === 0 ? '' : ` (redelivered ${d.redelivered}, published again ${d.publishedAgain}; ${Object.entries(d.byType).map(([type, n]) => `${type} ${n}`).join(', ')})`}`);
  row('by type', counts(r.events.byType));
  row('enforcement actions', counts(r.events.enforcement));
  row('notifications received', `slack ${r.notifications.slack}, mail ${r.notifications.mail}`);

  section('gate requests (after retries)');
  for (const [action, f] of Object.entries(r.api)) row(action, `${f.calls} calls, ${counts(f.byStatus)}; retried ${f.retried}; p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms`);

  const notes = [
    r.checker.lateEventsLeftOut && `${r.checker.lateEventsLeftOut} events published after the records were read left out`,
    r.checker.deletionsNotDueYet && `${r.checker.deletionsNotDueYet} deletions younger than a sweep not required yet`,
  ].filter(Boolean);
  section(`ground-truth checker: ${r.checker.passed ? 'passed' : 'FAILED'}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  for (const line of r.checker.lines) lines.push(`  ${line}`);

  section('detection latency (event on the subscription − true transition time)');
  const lat = (f: LatencyFigures) => `p50 ${f.p50Seconds} s, p95 ${f.p95Seconds} s, max ${f.maxSeconds} s over ${f.count}${f.unmatched ? ` (${f.unmatched} without a true time)` : ''}`;
  row('state changes', lat(r.latency.stateChanges));
  row('deletions (noticed at a sweep)', lat(r.latency.deletions));
  row('trial changes', lat(r.latency.trials));
  row('slowest state changes', r.latency.stateChanges.slowest.map(s => `${s.job.slice(s.job.lastIndexOf('/') + 1)} ${s.what.replace('JOB_STATE_', '')} ${s.seconds} s`).join(', ') || '–');

  section('peak memory (VmHWM)');
  for (const peak of [...r.memory].sort((a, b) => b.peakMb - a.peakMb)) row(peak.role, `${peak.peakMb} MiB${peak.processes > 1 ? ` (${peak.processes} processes)` : ''}`);
  if (r.restarts.length > 0) row('function restarts', r.restarts.map(x => `${x.target} (code ${x.code ?? x.signal}${x.planned ? ', replaced' : ''})`).join(', '));

  const q = r.vertex.quota;
  section(`Vertex calls per minute per target (over ${r.vertex.minutes.toFixed(1)} min; quota ${q.readsPerMinute} reads, ${q.writesPerMinute} writes; nasmon's share ${q.share}: ${q.budgetReadsPerMinute} reads, ${q.budgetWritesPerMinute} writes per process)`);
  for (const t of r.vertex.targets) {
    row(t.target, `reads ${t.readsPerMinute}/min (peak ${t.peakReadsPerMinute}), writes ${t.writesPerMinute}/min (peak ${t.peakWritesPerMinute}); ${counts(t.byMethod)}`);
  }
  for (const p of r.polling) {
    row(`polling ${p.target}`, `${p.cycles} cycles (${p.failedCycles} failed), largest gap ${p.largestGapSeconds} s (from ${p.largestGapFrom.slice(11, 19)})${p.sessionsGivenUp ? `, ${p.sessionsGivenUp} sessions found the lease held and gave up` : ''}`);
  }
  row('answers 429 / 5xx / reset', `${r.vertex.status429} / ${r.vertex.status5xx} / ${r.vertex.resets} of ${r.vertex.total}`);

  for (const c of r.chaos) {
    section(`chaos ${c.scenario}: from ${c.fromSeconds} s to ${c.toSeconds} s of the workload${c.excuses ? ' (window given to the checker)' : ' (nothing excused)'}`);
    for (const [key, value] of Object.entries(c.injected)) row(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    const rec = c.recovery;
    if (!rec) continue;
    for (const t of rec.targets) {
      row(`poll ${t.target}`, `first cycle ${t.firstCycleSeconds === undefined ? 'NONE' : `${t.firstCycleSeconds} s`} after the end; largest gap after ${t.largestGapAfterSeconds} s; ${t.cyclesDuring} cycles during`);
    }
    const afterEnd = (seconds: number | undefined) => (seconds === undefined ? 'NEVER' : `${seconds} s`);
    row('outbox', `what the fault left published ${afterEnd(rec.outboxCaughtUpSeconds)} after the end, empty ${afterEnd(rec.outboxEmptySeconds)} after it; peak ${rec.outboxPeak} documents${rec.outboxUnreadable ? `; ${rec.outboxUnreadable} readings failed` : ''}`);
    row('recovered', `${rec.recoveredSeconds === undefined ? `NOT within the ${rec.watchedSeconds} s watched` : `${rec.recoveredSeconds} s`} after the end; within 2 poll intervals: ${rec.withinTwoIntervals ? 'yes' : 'no'}, within 2 scheduler ticks: ${rec.withinTwoTicks ? 'yes' : 'no'}`);
  }
  if (r.checker.missingEvents) {
    const m = r.checker.missingEvents;
    row('records without their event', `${m.total}: ${m.nearShut} observed within ${m.bandSeconds} s before the Pub/Sub emulator was killed (it may have died with them), ${m.other} at other times (nasmon's)`);
  }
  const et = r.enforceTiming;
  section('enforce timing');
  row('enforce cancels on Vertex\'s clock', `${et.cancels} measured (simulator clock ${et.simulatorClockOffsetSeconds} s from the soak's), ${et.early} before the policy's limit${et.early ? ` (by up to ${et.maxEarlySeconds} s, median ${et.medianEarlySeconds} s; e.g. ${et.examples.map(e => `${e.job.slice(e.job.lastIndexOf('/') + 1)} ${e.rule} at ${e.measuredSeconds} s of ${e.limitSeconds} s`).join(', ')})` : ''}`);

  section(`secret scan: ${r.secretScan.hits.length === 0 ? 'clean' : 'SECRETS FOUND'} (${r.secretScan.secrets} secrets over ${r.secretScan.files} files)`);
  for (const hit of r.secretScan.hits) row(hit.secret, `${hit.file}:${hit.line} (${hit.form})`);
  lines.push('', `logs: ${r.logDir}/`);
  return lines.join('\n');
}
