// The `nasJobs/{docId}` document: a JobRecord plus the fields other readers query on.
import {FieldValue, Timestamp, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import type {BestTrial, JobRecord, StageRecord, TrialCounts, TrialStage} from '../../core/poll/job-record.js';
import {decodeNasJob, isActiveJobState, isPayloadInvalidError, type JobState} from '../../core/vertex/index.js';
import {jobIdOf, targetKeyOf} from './collections.js';
import {storedChecks, type StoredChecks, StoredDataError} from './stored-data.js';

const STAGES: readonly TrialStage[] = ['search', 'train'];

/** The document data for `record`; enums in `job` become their raw wire values (UnknownEnum#toJSON). */
export function toJobDoc(record: JobRecord, target: Target): DocumentData {
  const labels = record.job.labels;
  return {
    name: record.name,
    // The job and its trial stages are stored as JSON text, not maps: nothing queries inside them,
    // a map costs Firestore's client several times the CPU of one string field to validate, encode
    // and decode (a poll cycle writes one per change), and raw JSON kept from the API (error details,
    // mounts) may nest arrays or run deeper than Firestore maps allow.
    jobJson: JSON.stringify(record.job),
    state: record.state,
    sequence: record.sequence,
    stateSince: record.stateSince,
    updateTime: record.updateTime ?? null,
    trialsUpdateTime: record.trialsUpdateTime ?? null,
    stagesJson: JSON.stringify(record.stages),
    deleted: record.deleted,
    // Derived, for the gate's count of a team's active jobs: one equality query (team, active)
    // costs the Firestore emulator less than half of one over deleted and a list of states.
    active: isActiveInMirror(record.state, record.deleted),
    project: target.project,
    location: target.location,
    targetKey: targetKeyOf(target),
    jobId: jobIdOf(record.name),
    displayName: record.job.displayName,
    labels: {...labels},
    team: labels.team ?? null,
    createTime: record.job.createTime ? timestampOf(record.job.createTime) : null,
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/** A mirror document's `active` field, from its `state` and `deleted` (also for documents written before the field). */
export function isActiveInMirror(state: unknown, deleted: unknown): boolean {
  return deleted === false && typeof state === 'string' && isActiveJobState(state as JobState);
}

/** Reads a job document back into a JobRecord; undefined when the document does not exist. */
export function readJobRecord(snapshot: DocumentSnapshot): JobRecord | undefined {
  if (!snapshot.exists) return undefined;
  const doc = snapshot.ref.path;
  const data = snapshot.data() ?? {};
  const c = storedChecks(doc);
  const updateTime = c.optional(data.updateTime, 'updateTime', c.string);
  const trialsUpdateTime = c.optional(data.trialsUpdateTime, 'trialsUpdateTime', c.string);
  return {
    name: c.string(data.name, 'name'),
    job: decodeStoredJob(doc, c.json(data.jobJson, 'jobJson')),
    state: c.string(data.state, 'state'),
    sequence: c.integer(data.sequence, 'sequence', 1),
    stateSince: c.string(data.stateSince, 'stateSince'),
    ...(updateTime === undefined ? {} : {updateTime}),
    ...(trialsUpdateTime === undefined ? {} : {trialsUpdateTime}),
    stages: readStages(c, c.json(data.stagesJson, 'stagesJson')),
    deleted: c.boolean(data.deleted, 'deleted'),
  };
}

// The stored job goes through the same decoder as an API response, so UnknownEnum values come back.
function decodeStoredJob(doc: string, value: unknown) {
  try {
    return decodeNasJob(value, 'job');
  } catch (error) {
    if (isPayloadInvalidError(error)) throw new StoredDataError(doc, error.path, error.reason);
    throw error;
  }
}

function readStages(c: StoredChecks, value: unknown): Partial<Record<TrialStage, StageRecord>> {
  const map = c.object(value, 'stages');
  const stages: Partial<Record<TrialStage, StageRecord>> = {};
  for (const stage of STAGES) {
    const field = `stages.${stage}`;
    const raw = c.optional(map[stage], field, c.object);
    if (!raw) continue;
    const best = c.optional(raw.best, `${field}.best`, readBest(c));
    const record = {states: c.stringMap(raw.states, `${field}.states`), counts: readCounts(c, raw.counts, `${field}.counts`)};
    stages[stage] = best ? {...record, best} : record;
  }
  return stages;
}

function readCounts(c: StoredChecks, value: unknown, field: string): TrialCounts {
  const raw = c.object(value, field);
  const max = c.optional(raw.max, `${field}.max`, c.integer);
  const maxFailed = c.optional(raw.maxFailed, `${field}.maxFailed`, c.integer);
  return {
    total: c.integer(raw.total, `${field}.total`),
    running: c.integer(raw.running, `${field}.running`),
    succeeded: c.integer(raw.succeeded, `${field}.succeeded`),
    infeasible: c.integer(raw.infeasible, `${field}.infeasible`),
    ...(max === undefined ? {} : {max}),
    ...(maxFailed === undefined ? {} : {maxFailed}),
  };
}

function readBest(c: StoredChecks) {
  return (value: unknown, field: string): BestTrial => {
    const raw = c.object(value, field);
    return {trialId: c.string(raw.trialId, `${field}.trialId`), value: c.number(raw.value, `${field}.value`)};
  };
}

/** A value as JSON would carry it: no undefined, no class instances (Firestore rejects both). */
export function plainJson<T>(value: T): DocumentData {
  return JSON.parse(JSON.stringify(value)) as DocumentData;
}

/** An RFC 3339 string as a Timestamp, keeping sub-millisecond digits that Date would drop. */
export function timestampOf(rfc3339: string): Timestamp {
  const ms = Date.parse(rfc3339);
  const fraction = /\.(\d+)/.exec(rfc3339)?.[1] ?? '';
  return new Timestamp(Math.floor(ms / 1000), Number(fraction.padEnd(9, '0').slice(0, 9)));
}
