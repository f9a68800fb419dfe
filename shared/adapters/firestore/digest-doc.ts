// The digest of a target: one small entry per tracked job, spread over DIGEST_SHARDS documents
// under `nasmonTargets/{targetKey}`, so a quiet cycle reads a fixed handful of documents whatever the
// number of jobs. Entries are written by field path (`jobs.<id>.s`), never by rewriting the map.
import {FieldPath, FieldValue, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {DigestEntry, TargetDigest} from '../../ports/poll-store.js';
import {digestShardOf, jobIdOf} from './collections.js';
import {storedChecks, StoredDataError} from './stored-data.js';

/** A `set` with `mergeFields`: only the listed paths change. */
export interface DigestWrite {
  readonly data: DocumentData;
  readonly mergeFields: FieldPath[];
}

/** Writes by shard number; only the shards a change touches appear. */
export type ShardWrites = Map<number, DigestWrite>;

function shardWrite(writes: ShardWrites, id: string): {jobs: Record<string, unknown>; mergeFields: FieldPath[]} {
  const shard = digestShardOf(id);
  let write = writes.get(shard);
  if (!write) writes.set(shard, (write = {data: {jobs: {}}, mergeFields: []}));
  return {jobs: write.data.jobs as Record<string, unknown>, mergeFields: write.mergeFields};
}

/**
 * The digest write for records changed in one transaction (last record per job wins). A deleted
 * record removes the entry; otherwise name, state, sequence and the two update times are replaced
 * and `r` (trialsReadAt, written only by markTrialsRead) is left as it is.
 */
export function digestWrite(records: Iterable<JobRecord>): ShardWrites {
  const writes: ShardWrites = new Map();
  for (const record of records) {
    const id = jobIdOf(record.name);
    const {jobs, mergeFields} = shardWrite(writes, id);
    if (record.deleted) {
      jobs[id] = FieldValue.delete();
      mergeFields.push(new FieldPath('jobs', id));
      continue;
    }
    jobs[id] = {
      n: record.name,
      s: record.state,
      q: record.sequence,
      u: record.updateTime ?? FieldValue.delete(),
      t: record.trialsUpdateTime ?? FieldValue.delete(),
    };
    for (const key of ['n', 's', 'q', 'u', 't']) mergeFields.push(new FieldPath('jobs', id, key));
  }
  return writes;
}

/** Writes that set (or, with `undefined` key, delete) one field of several entries. */
export function entryFieldWrite(names: readonly string[], key: string | undefined, value: unknown): ShardWrites {
  const writes: ShardWrites = new Map();
  for (const name of names) {
    const id = jobIdOf(name);
    const {jobs, mergeFields} = shardWrite(writes, id);
    jobs[id] = key === undefined ? FieldValue.delete() : {[key]: value};
    mergeFields.push(key === undefined ? new FieldPath('jobs', id) : new FieldPath('jobs', id, key));
  }
  return writes;
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
  const rawJobs: unknown = snapshot.get('jobs') ?? {};
  let entries: [string, unknown][] = [];
  try {
    entries = Object.entries(c.object(rawJobs, 'jobs'));
  } catch (error) {
    skip('jobs', error);
  }
  for (const [id, value] of entries) {
    try {
      const entry = readEntry(c, value, `jobs.${id}`);
      jobs.set(entry.name, entry);
    } catch (error) {
      skip(`jobs.${id}`, error);
    }
  }
}

function readEntry(c: ReturnType<typeof storedChecks>, value: unknown, field: string): DigestEntry {
  const raw = c.object(value, field);
  const optional = {
    updateTime: c.optional(raw.u, `${field}.u`, c.string),
    trialsUpdateTime: c.optional(raw.t, `${field}.t`, c.string),
    trialsReadAt: c.optional(raw.r, `${field}.r`, c.string),
  };
  return {
    name: c.string(raw.n, `${field}.n`),
    state: c.string(raw.s, `${field}.s`),
    sequence: c.integer(raw.q, `${field}.q`, 1),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
