// The figures bench-poll prints after the cycles: digest size, nasmon vs naive ratios, and the
// design targets ("Polling within the API's limits") checked against what was measured.
import type {Firestore} from '@google-cloud/firestore';
import {DIGEST_SHARDS} from '../../shared/adapters/firestore/collections.js';
import {readShard} from '../../shared/adapters/firestore/digest-doc.js';
import {createLogger} from '../../shared/log.js';
import type {Target} from '../../shared/config.js';
import {documentBytes, MAX_DOCUMENT_BYTES} from './doc-size.js';
import type {CycleKind, CycleRow, Printer} from './report.js';

/** Prints the size of the largest digest shard (nasmonTargets/{project}:{location}/digest/{shard}). */
export async function printDigestSize(firestore: Firestore, targets: readonly Target[], jobs: number, printer: Printer): Promise<void> {
  let largest = 0;
  let entries = 0;
  for (const target of targets) {
    const shards = await firestore.collection('nasmonTargets').doc(`${target.project}:${target.location}`).collection('digest').get();
    for (const snapshot of shards.docs) {
      const bytes = documentBytes(snapshot.ref.path, snapshot.data());
      // Counted as the poller reads a shard: its packed lines with the second layer laid over them.
      const count = readShard(snapshot, createLogger({fn: 'bench-digest-size'})).entries.size;
      if (bytes > largest) [largest, entries] = [bytes, count];
    }
  }
  const perEntry = entries > 0 ? largest / entries : 0;
  const capacity = perEntry > 0 ? Math.floor(MAX_DOCUMENT_BYTES / perEntry) : 0;
  const share = largest / MAX_DOCUMENT_BYTES;
  printer.info('digest', {jobs, targets: targets.length, largestDigestBytes: largest, entries, bytesPerEntry: Math.round(perEntry), entriesAt1MiB: capacity, shareOf1MiB: Math.round(share * 1000) / 1000},
    `digest at ${jobs} jobs: largest digest shard of ${targets.length} target(s) ${largest} B for ${entries} entries ` +
    `(${Math.round(perEntry)} B/entry, ${(share * 100).toFixed(1)}% of 1 MiB; one shard holds at most ~${capacity} entries)`);
}

const find = (rows: readonly CycleRow[], poller: string, cycle: CycleKind) => rows.find(row => row.poller === poller && row.cycle === cycle && !row.error);

/** naive ÷ nasmon for the quiet and change cycles of one scale (JSON: null where nasmon's figure is 0). */
export function printRatios(rows: readonly CycleRow[], jobs: number, printer: Printer): void {
  for (const cycle of ['quiet', 'changes'] as const) {
    const nasmon = find(rows, 'nasmon', cycle);
    const naive = find(rows, 'naive', cycle);
    if (!nasmon || !naive) continue;
    const keys = ['vertexCalls', 'firestoreReads', 'firestoreWrites', 'wallMs', 'cpuMs'] as const;
    const ratio = (key: (typeof keys)[number]) => (nasmon[key] === 0 ? (naive[key] === 0 ? 1 : Infinity) : naive[key] / nasmon[key]);
    const ratios = Object.fromEntries(keys.map(key => [key, Math.round(ratio(key) * 10) / 10]));
    printer.info('ratio', {jobs, cycle, naiveOverNasmon: ratios},
      `naive ÷ nasmon at ${jobs} jobs, ${cycle}: ${keys.map(key => `${key} ${fmt(ratio(key))}×`).join(', ')}`);
  }
}

/** Checks the design's targets on the largest scale's nasmon rows. */
export function printTargetChecks(rows: readonly CycleRow[], printer: Printer, simInProcess: boolean): void {
  const whose = simInProcess ? 'process total, in-process simulator included' : 'poller process; simulator apart';
  const jobs = Math.max(...rows.map(row => row.jobs));
  const at = rows.filter(row => row.jobs === jobs);
  const quiet = find(at, 'nasmon', 'quiet');
  const changes = find(at, 'nasmon', 'changes');
  const checks: Array<[string, boolean, string]> = [];
  if (quiet) {
    // Per target: the outbox query, the digest root and its shards, whatever the number of jobs.
    checks.push([`quiet cycle: a handful of Firestore reads (≤ ${2 + DIGEST_SHARDS} per target), no writes`, quiet.firestoreReads <= (2 + DIGEST_SHARDS) * quiet.targets && quiet.firestoreWrites === 0,
      `${quiet.firestoreReads} reads over ${quiet.targets} target(s), ${quiet.firestoreWrites} writes`]);
  }
  if (changes) {
    // Per change: mirror, history, outbox document and its deletion. Per target, whatever k: the
    // digest shards touched by the record transaction, the trial-read marks and the pruning.
    checks.push([`change cycle: O(k) writes (k = ${changes.changed}; ≤ 4k + ${3 * DIGEST_SHARDS} per target)`,
      changes.firestoreWrites <= 4 * changes.changed + 3 * DIGEST_SHARDS * changes.targets,
      `${changes.firestoreWrites} writes = ${(changes.firestoreWrites / changes.changed).toFixed(2)} per change`]);
  }
  for (const row of [quiet, changes]) {
    if (!row) continue;
    checks.push([`${row.cycle}: Vertex calls = ceil(listed/100) per target + gets`, row.vertexCalls === row.expectedVertexCalls,
      `${row.vertexCalls} calls (${row.vertexLists} list + ${row.vertexGets} get), expected ${row.expectedVertexCalls}`]);
    checks.push([`${row.cycle}: CPU per ${jobs}-job cycle < 1 s`, row.cpuMs < 1000, `${Math.round(row.cpuMs)} ms (${whose})`]);
  }
  const measured = at.filter(row => row.poller === 'nasmon' && !row.error);
  const peak = Math.max(...measured.map(row => row.rssMb));
  if (measured.length > 0) checks.push([`nasmon peak RSS < 256 MB at ${jobs} jobs`, peak < 256, `${Math.round(peak)} MB (${whose})`]);
  const failed = at.filter(row => row.poller === 'nasmon' && row.error);
  for (const row of failed) checks.push([`nasmon ${row.cycle} cycle at ${jobs} jobs completes`, false, row.error ?? '']);
  for (const [name, ok, detail] of checks) {
    printer.info('check', {check: name, ok, detail}, `${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
  }
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '∞';
}
