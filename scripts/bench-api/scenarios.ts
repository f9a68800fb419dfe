// The HTTP scenarios of bench:api: validateOnly and real creates through the gate under load, and
// the gate's overhead over the simulator, measured call by call in alternation.
import type {SimAdmin} from '../bench/sim-admin.js';
import {percentile, runLoad, type BenchCall, type BenchClient, type LoadResult} from './http-load.js';
import type {BenchGate} from './gate-server.js';
import {BENCH_PARENT, benchJob, benchJobAsMutated, callerOf, loadTeam} from './job-body.js';

/** One printed HTTP row. */
export interface LoadRow {
  readonly scenario: string;
  readonly requests: number;
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  /** Calls the simulator received during the run. */
  readonly vertexCalls: number;
  /** CPU the gate's process used per call: near 1 s per second of wall time means the gate itself is the limit. */
  readonly gateCpuMsPerCall: number;
  /** The gate process's CPU time over the run's wall time (1 = one core busy throughout). */
  readonly gateCpuShare: number;
  readonly error?: string;
}

/** The overhead row: the same create through the gate and straight to the simulator. */
export interface OverheadRow {
  readonly call: string;
  readonly pairs: number;
  readonly gateP50Ms: number;
  readonly directP50Ms: number;
  readonly overheadP50Ms: number;
  readonly gateP99Ms: number;
  readonly directP99Ms: number;
  /** How long each pair waited first (0: none). */
  readonly idleMs: number;
  /** The probe's p50, when the pattern timed one beside each pair. */
  readonly probeP50Ms?: number;
}

const JSON_HEADERS = {'content-type': 'application/json'};

/** Everything a scenario needs. */
export interface ScenarioSetup {
  readonly client: BenchClient;
  readonly gate: BenchGate;
  readonly simulatorUrl: string;
  readonly admin: SimAdmin;
}

/** A create through the gate; `validateOnly` asks for the verdict alone. */
export function gateCreate(setup: ScenarioSetup, n: number, validateOnly: boolean, team = loadTeam(n)): BenchCall {
  return {
    method: 'POST',
    url: `${setup.gate.url}/v1/${BENCH_PARENT}/nasJobs${validateOnly ? '?validateOnly=true' : ''}`,
    headers: {...JSON_HEADERS, authorization: setup.gate.bearer(callerOf(team))},
    body: JSON.stringify(benchJob(n)),
  };
}

/** The create the gate would send on: the mutated job, with a request_id label, straight to the simulator. */
export function directCreate(setup: ScenarioSetup, n: number, team: string): BenchCall {
  const job = benchJobAsMutated(n, team);
  return {
    method: 'POST',
    url: `${setup.simulatorUrl}/v1/${BENCH_PARENT}/nasJobs`,
    headers: {...JSON_HEADERS, authorization: 'Bearer bench-token'},
    body: JSON.stringify({...job, labels: {...job.labels, request_id: `direct-${n}`}}),
  };
}

/** `total` calls, `concurrency` in flight; every one should answer 200. */
export async function measureLoad(setup: ScenarioSetup, scenario: string, options: {total: number; concurrency: number; offset: number}, makeCall: (n: number) => BenchCall): Promise<LoadRow> {
  const before = await setup.admin.stats();
  const cpuBefore = setup.gate.cpuMs();
  const result = await runLoad(setup.client, {total: options.total, concurrency: options.concurrency, expect: 200}, i => makeCall(options.offset + i));
  const gateCpuMs = setup.gate.cpuMs() - cpuBefore;
  const after = await setup.admin.stats();
  return {scenario, requests: options.total, concurrency: options.concurrency, ...figures(result), vertexCalls: after.total - before.total,
    gateCpuMsPerCall: gateCpuMs / options.total, gateCpuShare: gateCpuMs / result.wallMs,
    ...(result.firstFailure ? {error: `${result.firstFailure.status} ${result.firstFailure.text.slice(0, 200)}`} : {})};
}

/**
 * Side by side in one run: pairs of one create through the gate and one straight to the simulator,
 * one call at a time, the order alternating, so drift (GC, emulator warm-up, a busy neighbour) hits
 * both sides alike. With `idleMs`, every pair waits that long first (untimed): the gate's views and
 * board of the team slots are then too old to serve, as on an instance that creates seldom. A
 * `probe` (one bare round trip the gate makes too) is timed beside each pair, the three in turn
 * first, to show what the wait did to the stand-ins themselves.
 */
export async function measureOverhead(setup: ScenarioSetup, call: string, options: {pairs: number; offset: number; idleMs?: number; probe?: () => Promise<unknown>}, teamOf: (i: number) => string): Promise<OverheadRow> {
  const {pairs, offset, idleMs = 0, probe} = options;
  const gate: number[] = [];
  const direct: number[] = [];
  const probes: number[] = [];
  const timed = async (call: BenchCall, into: number[]) => {
    const started = performance.now();
    const answer = await setup.client.send(call);
    into.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`${call.url} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  };
  for (let i = 0; i < pairs; i++) {
    if (idleMs > 0) await new Promise(resolve => setTimeout(resolve, idleMs));
    const n = offset + i;
    const team = teamOf(i);
    const steps = [() => timed(gateCreate(setup, n, false, team), gate), () => timed(directCreate(setup, n, team), direct)];
    if (probe) steps.push(async () => void probes.push(await timeOne(probe)));
    for (const step of rotate(steps, probe ? i % 3 : 0, !probe && i % 2 === 1)) await step();
  }
  const [gateP50, directP50] = [percentile(gate, 50), percentile(direct, 50)];
  return {call, pairs, gateP50Ms: gateP50, directP50Ms: directP50, overheadP50Ms: gateP50 - directP50,
    gateP99Ms: percentile(gate, 99), directP99Ms: percentile(direct, 99), idleMs, ...(probe ? {probeP50Ms: percentile(probes, 50)} : {})};
}

/** The p50 of `count` probes one after another: the probe's figure when nothing idled. */
export async function measureProbe(probe: () => Promise<unknown>, count: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timeOne(probe));
  return percentile(times, 50);
}

async function timeOne(probe: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await probe();
  return performance.now() - started;
}

// The steps starting at `first`, reversed when asked: who goes first after a wait pays for waking up.
function rotate<T>(steps: readonly T[], first: number, reverse: boolean): T[] {
  const turned = [...steps.slice(first), ...steps.slice(0, first)];
  return reverse ? turned.reverse() : turned;
}

function figures(result: LoadResult) {
  return {
    requestsPerSecond: (result.latenciesMs.length / result.wallMs) * 1000,
    p50Ms: percentile(result.latenciesMs, 50),
    p99Ms: percentile(result.latenciesMs, 99),
    statuses: result.statuses,
  };
}
