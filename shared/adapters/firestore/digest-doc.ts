// The digest of a target: one small entry per tracked job, spread over DIGEST_SHARDS documents
// under `nasmonTargets/{targetKey}`, so a quiet cycle reads a fixed handful of documents whatever the
// number of jobs. Entries are written by field path (`jobs.<id>`), never by rewriting the map.
//
// Each entry is one string, `name|state|sequence|updateTime|trialsUpdateTime`, not a map: decoding
// a map of five Firestore values per job made reading a 10,000-job digest cost several times more
// CPU than decoding one string per job. When trials were last read lives apart, in `reads.<id>`,
// because it is the one field written without the rest (markTrialsRead).
import {FieldPath, FieldValue, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
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
      setField(data, mergeFields, 'jobs', id, FieldValue.delete());
      setField(data, mergeFields, 'reads', id, FieldValue.delete());
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
    setField(data, mergeFields, 'jobs', id, FieldValue.delete());
    setField(data, mergeFields, 'reads', id, FieldValue.delete());
  }
  return writes;
}

function setField(data: DocumentData, mergeFields: FieldPath[], map: 'jobs' | 'reads', id: string, value: unknown): void {
  (data[map] as Record<string, unknown>)[id] = value;
  mergeFields.push(new FieldPath(map, id));
}

/**
 * Reads a digest. A malformed entry is skipped with a warning rather than failing the cycle: the
 * poller then treats that job as untracked, and the transaction in recordObservations still checks
 * the job's stored record, so the worst outcome is an extra read, never a duplicate event. The
 * entry is rewritten at the job's next recorded change.
 */
export function readDigestDoc(root: DocumentSnapshot, shards: readonly DocumentSnapshot[], log: Logger): TargetDigest {
  const jobs = new Map<string, DigestEntry>();
  for (const shard of shards) readEntries(shard, jobs, log);
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

/** Adds one shard's entries to `jobs`. */
export function readEntries(snapshot: DocumentSnapshot, jobs: Map<string, DigestEntry>, log: Logger): void {
  if (!snapshot.exists) return;
  const doc = snapshot.ref.path;
  const c = storedChecks(doc);
  const skip = skipper(doc, log);
  const mapField = (field: 'jobs' | 'reads'): Record<string, unknown> => {
    try {
      return c.object(snapshot.get(field) ?? {}, field);
    } catch (error) {
      skip(field, error);
      return {};
    }
  };
  const reads = mapField('reads');
  for (const [id, value] of Object.entries(mapField('jobs'))) {
    let entry: DigestEntry;
    try {
      entry = decodeEntry(c, value, id);
    } catch (error) {
      skip(`jobs.${id}`, error);
      continue;
    }
    // A bad read time only costs the job its place in the trial-refresh round-robin.
    let trialsReadAt: string | undefined;
    try {
      trialsReadAt = c.optional(reads[id], `reads.${id}`, c.string);
    } catch (error) {
      skip(`reads.${id}`, error);
    }
    jobs.set(entry.name, trialsReadAt === undefined ? entry : {...entry, trialsReadAt});
  }
}

function decodeEntry(c: StoredChecks, value: unknown, id: string): DigestEntry {
  const field = `jobs.${id}`;
  const parts = c.string(value, field).split(SEPARATOR);
  if (parts.length !== 5) c.fail(field, 'name|state|sequence|updateTime|trialsUpdateTime', value);
  const [name = '', state = '', sequence = '', updateTime = '', trialsUpdateTime = ''] = parts;
  if (jobIdOf(name) !== id || state === '') c.fail(field, `a name ending in /${id} and a state`, value);
  return {
    name,
    state,
    sequence: c.integer(/^\d+$/.test(sequence) ? Number(sequence) : sequence, `${field} (sequence)`, 1),
    ...(updateTime === '' ? {} : {updateTime}),
    ...(trialsUpdateTime === '' ? {} : {trialsUpdateTime}),
  };
}
