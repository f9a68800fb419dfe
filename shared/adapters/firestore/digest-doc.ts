// The `nasmonTargets/{targetKey}` digest: one small entry per tracked job, so a quiet cycle reads
// one document. Entries are written by field path (`jobs.<id>.s`), never by rewriting the map.
import {FieldPath, FieldValue, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {DigestEntry, TargetDigest} from '../../ports/poll-store.js';
import {jobIdOf} from './collections.js';
import {storedChecks, StoredDataError} from './stored-data.js';

/** A `set` with `mergeFields`: only the listed paths change. */
export interface DigestWrite {
  readonly data: DocumentData;
  readonly mergeFields: FieldPath[];
}

/**
 * The digest write for records changed in one transaction (last record per job wins). A deleted
 * record removes the entry; otherwise name, state, sequence and the two update times are replaced
 * and `r` (trialsReadAt, written only by markTrialsRead) is left as it is.
 */
export function digestWrite(target: Target, records: Iterable<JobRecord>): DigestWrite {
  const jobs: Record<string, unknown> = {};
  const mergeFields = [new FieldPath('project'), new FieldPath('location')];
  for (const record of records) {
    const id = jobIdOf(record.name);
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
  return {data: {project: target.project, location: target.location, jobs}, mergeFields};
}

/** A write that sets (or, with `undefined`, deletes) one field of several entries. */
export function entryFieldWrite(target: Target, names: readonly string[], key: string | undefined, value: unknown): DigestWrite {
  const jobs: Record<string, unknown> = {};
  const mergeFields = [new FieldPath('project'), new FieldPath('location')];
  for (const name of names) {
    const id = jobIdOf(name);
    jobs[id] = key === undefined ? FieldValue.delete() : {[key]: value};
    mergeFields.push(key === undefined ? new FieldPath('jobs', id) : new FieldPath('jobs', id, key));
  }
  return {data: {project: target.project, location: target.location, jobs}, mergeFields};
}

/**
 * Reads a digest. A malformed entry is skipped with a warning rather than failing the cycle: the
 * poller then treats that job as untracked, and the transaction in recordObservations still checks
 * the job's stored record, so the worst outcome is an extra read, never a duplicate event. The
 * entry is rewritten at the job's next recorded change.
 */
export function readDigestDoc(snapshot: DocumentSnapshot, log: Logger): TargetDigest {
  if (!snapshot.exists) return {jobs: new Map()};
  const doc = snapshot.ref.path;
  const c = storedChecks(doc);
  const jobs = new Map<string, DigestEntry>();
  const skip = (field: string, error: unknown) => {
    if (!(error instanceof StoredDataError)) throw error;
    log.warn('skipping a malformed digest field', {doc, field, error});
  };
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
  const times: {lastListTime?: string; lastSweepTime?: string} = {};
  for (const key of ['lastListTime', 'lastSweepTime'] as const) {
    try {
      const value = c.optional(snapshot.get(key), key, c.string);
      if (value !== undefined) times[key] = value;
    } catch (error) {
      skip(key, error);
    }
  }
  return {jobs, ...times};
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
