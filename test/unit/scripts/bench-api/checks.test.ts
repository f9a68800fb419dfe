import {describe, expect, it} from 'vitest';
import type {Printer} from '../../../../scripts/bench/report.js';
import {printTargetChecks} from '../../../../scripts/bench-api/checks.js';
import type {LoadRow, OverheadRow} from '../../../../scripts/bench-api/scenarios.js';

const policy = [{evaluation: 'evaluateCreate', runs: 100, p50Ms: 0.01, p99Ms: 0.06, maxMs: 1, perSecond: 70_000}];
const validateOnly: LoadRow = {scenario: 'validateOnly', requests: 3000, concurrency: 32, requestsPerSecond: 500, p50Ms: 55, p99Ms: 150,
  statuses: {200: 3000}, vertexCalls: 0, gateCpuMsPerCall: 1.5, gateCpuShare: 0.8};
const overhead = (call: string, overheadP50Ms: number, idleMs = 0): OverheadRow => ({call, pairs: 200, gateP50Ms: overheadP50Ms + 1.5,
  directP50Ms: 1.5, overheadP50Ms, gateP99Ms: 50, directP99Ms: 8, idleMs, ...(idleMs > 0 ? {probeP50Ms: 7.6} : {})});

function capture(): {printer: Printer; lines: string[]; fields: Array<Record<string, unknown>>} {
  const lines: string[] = [];
  const fields: Array<Record<string, unknown>> = [];
  const printer = {row: () => undefined, info: (_kind: string, f: Record<string, unknown>, text: string) => void (lines.push(text), fields.push(f))};
  return {printer: printer as unknown as Printer, lines, fields};
}

describe('printTargetChecks', () => {
  it('holds the working patterns to 15 ms and prints the idle one beside them, whatever it measured', () => {
    const {printer, lines, fields} = capture();
    const passed = printTargetChecks({policy, validateOnly, overhead: [overhead('create, first', 13.3), overhead('create after 5.5 s idle', 54, 5500)]}, printer);
    expect(passed).toBe(true);
    expect(lines.filter(line => line.startsWith('PASS'))).toHaveLength(3);
    const info = lines.filter(line => line.startsWith('INFO'));
    expect(info).toHaveLength(1);
    expect(info[0]).toContain('54.0 ms');
    expect(info[0]).toContain('a bare Firestore commit beside it 7.60 ms');
    expect(fields.at(-1)).toMatchObject({check: 'create after 5.5 s idle', ok: null});
  });

  it('fails on a working pattern over the target', () => {
    const {printer, lines} = capture();
    const passed = printTargetChecks({policy, validateOnly, overhead: [overhead('create, first', 15.4), overhead('create, back to back', 13.8)]}, printer);
    expect(passed).toBe(false);
    expect(lines.filter(line => line.startsWith('FAIL'))).toEqual([expect.stringContaining('create, first: gate 16.9 ms − simulator 1.50 ms = 15.4 ms')]);
  });
});
