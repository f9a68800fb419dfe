// The digest of a target: one small entry per tracked job, spread over DIGEST_SHARDS documents
// under `nasmonTargets/{targetKey}`, so a quiet cycle reads a fixed handful of documents whatever the
// number of jobs.
//
// An entry is one string, `name|state|sequence|updateTime|trialsUpdateTime`. A shard keeps its
// entries in two layers:
// - `packed`: every entry as of the shard's last compaction, one line each, with the trials read
//   time appended (`entry|trialsReadAt`). Firestore's client decodes one long string many times
//   faster than a map of thousands of strings: reading the digests of a 10,000-job cycle (4 targets)
//   went from 140-210 ms of CPU to 80-100, checks included (bench:poll, timed by phase).
// - `jobs.<id>` and `reads.<id>`: what was written since, by field path, so a cycle's writes stay
//   blind (no read first) and as small as its changes. An empty string removes the entry or read time.
// Readers overlay the second layer on the first. When the second layer of a shard has grown past
// COMPACT_AT keys, the poll store folds it into `packed` in a transaction (compactShards).
// A shard written before `packed` existed is all second layer, and reads the same.
import {FieldPath, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {DigestEntry, TargetDigest} from '../../ports/poll-store.js';
import {digestShardOf, jobIdOf} from './collections.js';
import {storedChecks, StoredDataError, type StoredChecks} from './stored-data.js';

/** A `set` with `mergeFields`: only the listed paths change. */
export interface DigestWrite {
  readonly data: DocumentData;
  readonly mergeFields: FieldPath[];
}

/** Writes by shard number; only the shards a change touches appear. */
export type ShardWrites = Map<number, DigestWrite>;

const SEPARATOR = '|';
const LINE = '\n';
/** Second-layer value that removes an entry or a read time. */
const REMOVED = '';

/** Second-layer keys of a shard past which the poll store compacts it. */
export const COMPACT_AT = 100;

function shardWrite(writes: ShardWrites, id: string): {data: DocumentData; mergeFields: FieldPath[]} {
  const shard = digestShardOf(id);
  let write = writes.get(shard);
  if (!write) writes.set(shard, (write = {data: {jobs: {}, reads: {}}, mergeFields: []}));
  return {data: write.data, mergeFields: write.mergeFields};
}

/** The stored form of an entry's recorded fields (trialsReadAt is stored apart). */
export function encodeEntry(record: Pick<JobRecord, 'name' | 'state' | 'sequence' | 'updateTime' | 'trialsUpdateTime'>): string {
  return [record.name, record.state, record.sequence, record.updateTime ?? '', record.trialsUpdateTime ?? ''].join(SEPARATOR);
}

/**
 * The digest write for records changed in one transaction (last record per job wins). A deleted
 * record removes the entry and its read time; otherwise the entry is replaced and its read time
 * (written only by markTrialsRead) is left as it is.
 */
export function digestWrite(records: Iterable<JobRecord>): ShardWrites {
  const writes: ShardWrites = new Map();
  for (const record of records) {
    const id = jobIdOf(record.name);
    const {data, mergeFields} = shardWrite(writes, id);
    if (record.deleted) {
      setField(data, mergeFields, 'jobs', id, REMOVED);
      setField(data, mergeFields, 'reads', id, REMOVED);
    } else {
      setField(data, mergeFields, 'jobs', id, encodeEntry(record));
    }
  }
  return writes;
}

/** Writes the trials read time of several entries. */
export function readTimeWrite(names: readonly string[], readAt: string): ShardWrites {
  const writes: ShardWrites = new Map();
  for (const name of names) {
    const id = jobIdOf(name);
    const {data, mergeFields} = shardWrite(writes, id);
    setField(data, mergeFields, 'reads', id, readAt);
  }
  return writes;
}

/** Writes that remove several entries (and their read times) from the digest. */
export function removalWrite(names: readonly string[]): ShardWrites {
  const writes: ShardWrites = new Map();
  for (const name of names) {
    const id = jobIdOf(name);
    const {data, mergeFields} = shardWrite(writes, id);
    setField(data, mergeFields, 'jobs', id, REMOVED);
    setField(data, mergeFields, 'reads', id, REMOVED);
  }
  return writes;
}

function setField(data: DocumentData, mergeFields: FieldPath[], map: 'jobs' | 'reads', id: string, value: unknown): void {
  (data[map] as Record<string, unknown>)[id] = value;
  mergeFields.push(new FieldPath(map, id));
}

/** One shard as read: its entries, and how many second-layer keys it carries (see COMPACT_AT). */
export interface ShardRead {
  readonly entries: Map<string, DigestEntry>;
  readonly layered: number;
}

/**
 * Reads a digest. A malformed entry is skipped with a warning rather than failing the cycle: the
 * poller then treats that job as untracked, and the transaction in recordObservations still checks
 * the job's stored record, so the worst outcome is an extra read, never a duplicate event. The
 * entry is rewritten at the job's next recorded change.
 */
export function readDigestDoc(root: DocumentSnapshot, shards: readonly ShardRead[], log: Logger): TargetDigest {
  const jobs = new Map<string, DigestEntry>();
  for (const shard of shards) for (const [name, entry] of shard.entries) jobs.set(name, entry);
  if (!root.exists) return {jobs};
  const c = storedChecks(root.ref.path);
  const times: {lastListTime?: string; lastSweepTime?: string} = {};
  for (const key of ['lastListTime', 'lastSweepTime'] as const) {
    try {
      const value = c.optional(root.get(key), key, c.string);
      if (value !== undefined) times[key] = value;
    } catch (error) {
      skipper(root.ref.path, log)(key, error);
    }
  }
  return {jobs, ...times};
}

function skipper(doc: string, log: Logger) {
  return (field: string, error: unknown) => {
    if (!(error instanceof StoredDataError)) throw error;
    log.warn('skipping a malformed digest field', {doc, field, error});
  };
}

/** Reads one shard: `packed` with the second layer laid over it; entries keyed by job name. */
export function readShard(snapshot: DocumentSnapshot, log: Logger): ShardRead {
  const entries = new Map<string, DigestEntry>();
  if (!snapshot.exists) return {entries, layered: 0};
  const doc = snapshot.ref.path;
  const c = storedChecks(doc);
  const skip = skipper(doc, log);
  const field = <T>(name: string, check: (value: unknown, field: string) => T, fallback: T): T => {
    try {
      return c.optional(snapshot.get(name), name, check) ?? fallback;
    } catch (error) {
      skip(name, error);
      return fallback;
    }
  };
  // Entry text and read time by job id, first layer then second.
  const texts = new Map<string, string>();
  const readTimes = new Map<string, string>();
  field('packed', c.string, '').split(LINE).forEach((line, index) => {
    if (line === '') return;
    const cut = line.lastIndexOf(SEPARATOR);
    if (cut < 0) return skip(`packed (line ${index + 1})`, new StoredDataError(doc, 'packed', `expected entry|trialsReadAt, got ${JSON.stringify(line)}`));
    const text = line.slice(0, cut); // checked with the second layer's entries below
    const id = jobIdOf(text.slice(0, text.indexOf(SEPARATOR)));
    texts.set(id, text);
    const readAt = line.slice(cut + 1);
    if (readAt !== '') readTimes.set(id, readAt);
  });
  const jobs = field('jobs', c.object, {});
  const reads = field('reads', c.object, {});
  const overlay = (layer: Map<string, string>, name: 'jobs' | 'reads', id: string, value: unknown) => {
    if (typeof value !== 'string') return skip(`${name}.${id}`, new StoredDataError(doc, `${name}.${id}`, 'expected a string'));
    if (value === REMOVED) layer.delete(id);
    else layer.set(id, value);
  };
  for (const [id, value] of Object.entries(jobs)) overlay(texts, 'jobs', id, value);
  for (const [id, value] of Object.entries(reads)) overlay(readTimes, 'reads', id, value);
  for (const [id, text] of texts) {
    const where = Object.hasOwn(jobs, id) ? `jobs.${id}` : `packed (job ${id})`;
    try {
      // A bad read time only costs the job its place in the trial-refresh round-robin; it was skipped above.
      const entry = decodeEntry(c, text, id, where, readTimes.get(id));
      entries.set(entry.name, entry);
    } catch (error) {
      skip(where, error);
    }
  }
  return {entries, layered: Object.keys(jobs).length + Object.keys(reads).length};
}

/** The whole content of a shard with both layers folded into `packed` (see compactShards). */
export function compactedShard(entries: ReadonlyMap<string, DigestEntry>): DocumentData {
  const lines: string[] = [];
  for (const entry of entries.values()) lines.push(`${encodeEntry(entry)}${SEPARATOR}${entry.trialsReadAt ?? ''}`);
  return {packed: lines.join(LINE), jobs: {}, reads: {}};
}

function decodeEntry(c: StoredChecks, value: unknown, id: string, field: string, trialsReadAt: string | undefined): DigestEntry {
  const parts = c.string(value, field).split(SEPARATOR);
  if (parts.length !== 5) c.fail(field, 'name|state|sequence|updateTime|trialsUpdateTime', value);
  const [name = '', state = '', sequence = '', updateTime = '', trialsUpdateTime = ''] = parts;
  if (jobIdOf(name) !== id || state === '') c.fail(field, `a name ending in /${id} and a state`, value);
  // Built in place, not with spreads: a 10,000-job digest decodes 10,000 of these per cycle.
  const entry: {-readonly [K in keyof DigestEntry]: DigestEntry[K]} = {
    name, state, sequence: c.integer(/^\d+$/.test(sequence) ? Number(sequence) : sequence, `${field} (sequence)`, 1),
  };
  if (updateTime !== '') entry.updateTime = updateTime;
  if (trialsUpdateTime !== '') entry.trialsUpdateTime = trialsUpdateTime;
  if (trialsReadAt !== undefined) entry.trialsReadAt = trialsReadAt;
  return entry;
}
