// The issue's targets for the gate, checked against what bench:api measured.
import type {Printer} from '../bench/report.js';
import type {EvaluationTiming} from './policy-timing.js';
import type {LoadRow, OverheadRow} from './scenarios.js';

/** Targets of issue 4 ("Proof"). */
export const TARGETS = {policyP99Ms: 1, validateOnlyPerSecond: 300, overheadP50Ms: 15} as const;

/**
 * Prints PASS or FAIL for each target; returns whether all passed. Issue 4 sets the overhead target
 * for the gate at work; a pattern that idles before each create is printed as INFO beside it, with
 * what the same wait did to a bare Firestore commit and to the simulator (README, "Measured").
 */
export function printTargetChecks(figures: {policy: readonly EvaluationTiming[]; validateOnly: LoadRow; overhead: readonly OverheadRow[]}, printer: Printer): boolean {
  const create = figures.policy.find(row => row.evaluation === 'evaluateCreate');
  const checks: Array<[string, boolean, string]> = [
    [`policy evaluation p99 ≤ ${TARGETS.policyP99Ms} ms`, figures.policy.every(row => row.p99Ms <= TARGETS.policyP99Ms),
      figures.policy.map(row => `${row.evaluation} p99 ${ms(row.p99Ms)}`).join(', ') || 'not measured'],
    [`validateOnly ≥ ${TARGETS.validateOnlyPerSecond} requests/s`,
      !figures.validateOnly.error && figures.validateOnly.requestsPerSecond >= TARGETS.validateOnlyPerSecond,
      `${Math.round(figures.validateOnly.requestsPerSecond)} requests/s at ${figures.validateOnly.concurrency} in flight` +
      (figures.validateOnly.error ? ` (a call failed: ${figures.validateOnly.error})` : '')],
    ...figures.overhead.filter(row => row.idleMs === 0).map((row): [string, boolean, string] => [`the gate adds ≤ ${TARGETS.overheadP50Ms} ms p50 to a ${row.call}`,
      row.overheadP50Ms <= TARGETS.overheadP50Ms, overheadDetail(row)]),
  ];
  if (create) checks[0]![2] += ` (${Math.round(create.perSecond)} evaluateCreate/s)`;
  for (const [check, ok, detail] of checks) printer.info('check', {check, ok, detail}, `${ok ? 'PASS' : 'FAIL'}  ${check}: ${detail}`);
  for (const row of figures.overhead.filter(row => row.idleMs > 0)) {
    const detail = `${overheadDetail(row)}${row.probeP50Ms === undefined ? '' : `; a bare Firestore commit beside it ${ms(row.probeP50Ms)}`}`;
    printer.info('check', {check: row.call, ok: null, detail}, `INFO  the gate adds ${ms(row.overheadP50Ms)} p50 to a ${row.call} (not the target's pattern): ${detail}`);
  }
  return checks.every(([, ok]) => ok);
}

const overheadDetail = (row: OverheadRow) =>
  `gate ${ms(row.gateP50Ms)} − simulator ${ms(row.directP50Ms)} = ${ms(row.overheadP50Ms)} over ${row.pairs} pairs`;

/** A duration in ms with sensible precision. */
export function ms(value: number): string {
  return `${value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}
