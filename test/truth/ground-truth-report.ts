// What a ground-truth check found: a count per kind of finding, in total and per job, with the lines
// that explain each one. Zero is the only passing figure for every kind, so `passed` is simply "no
// finding at all"; the lines are what a person reads when it is not.

/** Every kind of finding, in the order a report lists them. */
export const FINDING_KINDS = [
  /** A true state held long enough in plain sight, or a settled final state, that nasmon never recorded. */
  'missed',
  /** A recorded transition that skipped true states without saying so (`skipped: false`). */
  'unflaggedGap',
  /** A recorded transition that says `skipped: true` though nothing was skipped. */
  'falseFlag',
  /** One transition recorded or announced twice, or one event id carrying two contents. */
  'duplicate',
  /** Records out of the true order, sequences not increasing, events of a job arriving out of order. */
  'orderViolation',
  /** An event with no matching record (history entry, gate audit entry, enforcement audit entry). */
  'eventWithoutRecord',
  /** A record whose event never arrived. */
  'recordWithoutEvent',
  /** An enforcement action taken twice, or a job cancelled more often than nasmon recorded. */
  'enforcementTwice',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

/** One finding: which kind, about which job (or `(gate)` for a request not tied to one), and why. */
export interface Finding {
  readonly kind: FindingKind;
  readonly job: string;
  readonly line: string;
}

/** How much the check looked at, so a pass over nothing cannot pass for a pass over everything. */
export interface Scanned {
  readonly jobs: number;
  readonly trueStates: number;
  readonly recordedTransitions: number;
  readonly events: number;
  readonly deliveries: number;
  readonly auditEntries: number;
  readonly servedCancels: number;
}

/** The outcome of {@link checkGroundTruth}. */
export interface GroundTruthReport {
  readonly passed: boolean;
  readonly totals: Readonly<Record<FindingKind, number>>;
  readonly scanned: Scanned;
  /** Per job with at least one finding: its findings' lines by kind. */
  readonly jobs: ReadonlyMap<string, Readonly<Record<FindingKind, readonly string[]>>>;
  readonly findings: readonly Finding[];
  /** The report as lines: a verdict, the totals, up to `maxExamples` example lines per kind, then per-job counts. */
  lines(maxExamples?: number): string[];
  /** {@link lines} joined with newlines. */
  format(maxExamples?: number): string;
}

/** Collects findings as the checks run. */
export class Findings {
  readonly all: Finding[] = [];

  add(kind: FindingKind, job: string, line: string): void {
    this.all.push({kind, job, line});
  }

  report(scanned: Scanned): GroundTruthReport {
    const findings = [...this.all];
    const totals = countByKind(findings);
    const jobs = new Map<string, Record<FindingKind, string[]>>();
    for (const finding of findings) {
      const entry = jobs.get(finding.job) ?? emptyByKind<string[]>(() => []);
      entry[finding.kind].push(finding.line);
      jobs.set(finding.job, entry);
    }
    const passed = findings.length === 0;
    const lines = (maxExamples = 5) => renderLines(passed, totals, scanned, jobs, maxExamples);
    return {passed, totals, scanned, jobs, findings, lines, format: maxExamples => lines(maxExamples).join('\n')};
  }
}

function emptyByKind<T>(make: () => T): Record<FindingKind, T> {
  return Object.fromEntries(FINDING_KINDS.map(kind => [kind, make()])) as Record<FindingKind, T>;
}

function countByKind(findings: readonly Finding[]): Record<FindingKind, number> {
  const totals = emptyByKind(() => 0);
  for (const finding of findings) totals[finding.kind] += 1;
  return totals;
}

/** The last segment of a job name: enough to tell jobs apart in a report. */
export function shortJob(job: string): string {
  return job.includes('/nasJobs/') ? `nasJobs/${job.slice(job.lastIndexOf('/') + 1)}` : job;
}

function renderLines(
  passed: boolean, totals: Record<FindingKind, number>, scanned: Scanned,
  jobs: ReadonlyMap<string, Record<FindingKind, string[]>>, maxExamples: number,
): string[] {
  const out = [
    `ground truth: ${passed ? 'PASSED' : 'FAILED'} — ${scanned.jobs} jobs, ${scanned.trueStates} true states, `
      + `${scanned.recordedTransitions} recorded transitions, ${scanned.events} events (${scanned.deliveries} deliveries), `
      + `${scanned.auditEntries} audit entries, ${scanned.servedCancels} cancels served`,
    `  ${FINDING_KINDS.map(kind => `${kind} ${totals[kind]}`).join(', ')}`,
  ];
  for (const kind of FINDING_KINDS) {
    if (totals[kind] === 0) continue;
    out.push(`  ${kind} (${totals[kind]}):`);
    const examples = [...jobs].flatMap(([job, byKind]) => byKind[kind].map(line => `${shortJob(job)}: ${line}`));
    for (const line of examples.slice(0, maxExamples)) out.push(`    ${line}`);
    if (examples.length > maxExamples) out.push(`    … and ${examples.length - maxExamples} more`);
  }
  if (jobs.size > 0) {
    out.push(`  per job (${jobs.size} with findings):`);
    const shown = Math.max(20, maxExamples * 4); // a soak may have thousands of jobs
    for (const [job, byKind] of [...jobs].slice(0, shown)) {
      out.push(`    ${shortJob(job)}: ${FINDING_KINDS.filter(kind => byKind[kind].length > 0).map(kind => `${kind} ${byKind[kind].length}`).join(', ')}`);
    }
    if (jobs.size > shown) out.push(`    … and ${jobs.size - shown} more jobs`);
  }
  return out;
}
