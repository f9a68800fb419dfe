// Measuring one poll cycle: wall and CPU time, peak RSS, Vertex calls (simulator stats), Firestore
// reads and writes (the counting wrapper) and events published (a counting publisher).
import {readFileSync, writeFileSync} from 'node:fs';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import type {EventPublisher} from '../../shared/ports/event-publisher.js';
import type {FirestoreCounts} from './firestore-counter.js';
import {callsBetween, type SimAdmin} from './sim-admin.js';

/** The figures of one measured cycle. */
export interface CycleFigures {
  vertexCalls: number;
  vertexLists: number;
  vertexGets: number;
  vertex429: number;
  firestoreReads: number;
  firestoreWrites: number;
  eventsPublished: number;
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  /** The kernel's part of cpuMs (on loopback it includes the receiving side of every socket write). */
  sysMs: number;
  /** CPU of a simulator running in its own process (--sim-process); absent when it runs in ours. */
  simCpuMs?: number;
}

/** A publisher that counts the events of every publish call that succeeded. */
export function countingPublisher(inner: EventPublisher): EventPublisher & {published: number} {
  const counting = {
    published: 0,
    async publish(events: Parameters<EventPublisher['publish']>[0]) {
      await inner.publish(events);
      counting.published += events.length;
    },
  };
  return counting;
}

// A full GC before each cycle, so one cycle's garbage does not show up in the next one's RSS.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

/**
 * Peak RSS of the cycle: Linux keeps a high-water mark (VmHWM) that writing "5" to clear_refs resets
 * to the current RSS. Where that is not possible, the RSS after the cycle is reported instead.
 */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssMb(resettable: boolean): number {
  if (resettable) {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  }
  return process.memoryUsage.rss() / 2 ** 20;
}

/** Runs `cycle` and measures it. CPU and RSS are the whole process's, simulator included. */
export async function measureCycle(
  probe: {admin: SimAdmin; firestore: FirestoreCounts; publisher: {published: number}; simCpuMs?: () => number | undefined},
  cycle: () => Promise<unknown>,
): Promise<CycleFigures> {
  gc?.();
  const stats = await probe.admin.stats();
  const fs = {...probe.firestore};
  const published = probe.publisher.published;
  const resettable = resetPeakRss();
  const simCpu = probe.simCpuMs?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await cycle();
  const wallMs = performance.now() - started;
  const cpuUsed = process.cpuUsage(cpu);
  const rssMb = peakRssMb(resettable);
  const simCpuAfter = probe.simCpuMs?.();
  const calls = callsBetween(stats, await probe.admin.stats());
  return {
    vertexCalls: calls.total, vertexLists: calls.list, vertexGets: calls.get, vertex429: calls.rejected,
    firestoreReads: probe.firestore.reads - fs.reads,
    firestoreWrites: probe.firestore.writes - fs.writes,
    eventsPublished: probe.publisher.published - published,
    wallMs, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000, rssMb, sysMs: cpuUsed.system / 1000,
    ...(simCpu === undefined || simCpuAfter === undefined ? {} : {simCpuMs: simCpuAfter - simCpu}),
  };
}

/** The median of each figure over several cycles (the lower middle for an even count). */
export function medianFigures(runs: readonly CycleFigures[]): CycleFigures {
  const first = runs[0];
  if (!first) throw new Error('no cycles to summarise');
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const keys = Object.keys(first) as (keyof CycleFigures)[];
  return Object.fromEntries(keys.map(key => [key, median(runs.map(run => run[key] ?? 0))])) as unknown as CycleFigures;
}
