// How steadily each target was polled, from pollTarget's own log (its `poll cycle` lines, stamped
// with the time they arrived): the cycles, the largest gap between two of them (or between the
// window's start or end and the nearest one), and the sessions that found the target's lease still
// held and gave up (a tick whose minute goes unpolled).
import {existsSync, readFileSync} from 'node:fs';

/** One target's polling. */
export interface TargetPolling {
  readonly target: string;
  readonly cycles: number;
  readonly failedCycles: number;
  readonly largestGapSeconds: number;
  /** When the largest gap began, as the log stamped it. */
  readonly largestGapFrom: string;
  readonly sessionsGivenUp: number;
}

/** Reads `logFile` (pollTarget's, with receive times) between `fromMs` and `toMs`. */
export function pollingByTarget(logFile: string, fromMs: number, toMs: number): TargetPolling[] {
  if (!existsSync(logFile)) return [];
  const byTarget = new Map<string, {times: number[]; failed: number; givenUp: number}>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{"receiveTimestamp"')) continue;
    let entry: {receiveTimestamp?: string; message?: string; target?: string};
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const at = Date.parse(entry.receiveTimestamp ?? '');
    if (!entry.target || !(at >= fromMs && at <= toMs)) continue;
    const target = byTarget.get(entry.target) ?? {times: [], failed: 0, givenUp: 0};
    byTarget.set(entry.target, target);
    if (entry.message === 'poll cycle') target.times.push(at);
    else if (entry.message?.startsWith('poll cycle failed')) (target.failed += 1), target.times.push(at);
    else if (entry.message === 'target is being polled by another invocation') target.givenUp += 1;
  }
  return [...byTarget].sort(([a], [b]) => a.localeCompare(b)).map(([target, t]) => {
    // From the start of the window to its end: a target that stopped being polled has a gap up to the end.
    const times = [fromMs, ...[...t.times].sort((a, b) => a - b), toMs];
    let gap = 0;
    let from = fromMs;
    for (let i = 1; i < times.length; i++) {
      if (times[i]! - times[i - 1]! > gap) (gap = times[i]! - times[i - 1]!), (from = times[i - 1]!);
    }
    return {
      target, cycles: t.times.length, failedCycles: t.failed, largestGapSeconds: Math.round(gap / 100) / 10,
      largestGapFrom: new Date(from).toISOString(), sessionsGivenUp: t.givenUp,
    };
  });
}
