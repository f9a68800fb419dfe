// EnforceStore on Firestore. Per job: `nasmonEnforcement/{docId}` (its state, with `dueAt`); per
// action: an entry in `nasmonAudit` created with a precondition, and its event in `nasmonOutbox` under
// the job's target, where that target's poller re-publishes it if enforce's own publish has not
// happened within its claim (OWN_PUBLISH_CLAIM_MS by default).
import {Timestamp, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import {EMPTY_ENFORCE_STATE} from '../../core/enforce/index.js';
import {ACTIVE_JOB_STATES, parseNasJobName} from '../../core/vertex/index.js';
import type {OutboxBatch} from '../../ports/poll-store.js';
import type {EnforceAuditEntry, EnforceSnapshot, EnforceStore} from '../../use-cases/enforce/enforce-deps.js';
import {COLLECTIONS, docIdOf, expireAtOf, refsOf} from './collections.js';
import {readEnforceState, toEnforceDoc} from './enforce-doc.js';
import {readJobRecord} from './job-doc.js';
import {deleteOutboxDocs, OWN_PUBLISH_CLAIM_MS, toOutboxDocs} from './outbox-doc.js';
import {StoredDataError} from './stored-data.js';

/** Who enforcement audit entries name as the caller, next to the gate's human callers. */
export const ENFORCE_CALLER = 'nasmon:enforce';
const GET_ALL_CHUNK = 300;

/** Creates the Firestore-backed EnforceStore. */
export function createFirestoreEnforceStore(options: {firestore: Firestore; ownPublishClaimMs?: number}): EnforceStore {
  const {firestore, ownPublishClaimMs = OWN_PUBLISH_CLAIM_MS} = options;
  const stateRef = (name: string) => firestore.collection(COLLECTIONS.enforcement).doc(docIdOf(name));
  const jobRef = refsOf(firestore).job;
  const auditRef = (entry: EnforceAuditEntry) => firestore.collection(COLLECTIONS.audit).doc(auditIdOf(entry.jobName, entry.key));
  return {
    async transact(jobName, decide) {
      // The mirror is read before the transaction, not in it: a transaction's reads lock documents,
      // and the poller's transactions write the mirror. Only enforce's own state needs the guarantee
      // (actions at most once); a mirror a moment old is judged again at the job's next event.
      const mirror = readMirror(await jobRef(jobName).get());
      let batches: OutboxBatch[] = [];
      const result = await firestore.runTransaction(async tx => {
        const {write, result} = decide(readSnapshot(mirror, await tx.get(stateRef(jobName))));
        batches = [];
        if (!write) return result;
        tx.set(stateRef(jobName), toEnforceDoc(jobName, write.state));
        // create: an action recorded twice is a bug, and must fail the transaction rather than repeat.
        for (const entry of write.audit) tx.create(auditRef(entry), auditDoc(entry));
        // enforce publishes these itself after the commit; the poller takes over only if it does not.
        const docs = toOutboxDocs(write.events, write.targetKey, 0, new Date(Date.now() + ownPublishClaimMs));
        for (const doc of docs) tx.set(firestore.collection(COLLECTIONS.outbox).doc(doc.batch.id), doc.data);
        batches = docs.map(doc => doc.batch);
        return result;
      });
      return {result, batches};
    },

    async dueJobs(now, limit) {
      const snapshot = await firestore.collection(COLLECTIONS.enforcement)
        .where('dueAt', '<=', Timestamp.fromDate(now)).orderBy('dueAt').limit(limit).select('jobName').get();
      return snapshot.docs.map(doc => nameOf(doc.get('jobName'), doc.id));
    },

    async activeJobVersions() {
      const active = await firestore.collection(COLLECTIONS.jobs)
        .where('deleted', '==', false).where('state', 'in', ACTIVE_JOB_STATES).select('name').get();
      const names = active.docs.map(doc => nameOf(doc.get('name'), doc.id));
      const versions = new Map<string, string | undefined>();
      for (let start = 0; start < names.length; start += GET_ALL_CHUNK) {
        const chunk = names.slice(start, start + GET_ALL_CHUNK);
        const states = await firestore.getAll(...chunk.map(stateRef), {fieldMask: ['policyVersion']});
        states.forEach((state, index) => {
          const version: unknown = state.get('policyVersion');
          versions.set(chunk[index]!, typeof version === 'string' ? version : undefined);
        });
      }
      return versions;
    },

    async markDue(names, now) {
      for (let start = 0; start < names.length; start += 400) {
        const batch = firestore.batch();
        for (const name of names.slice(start, start + 400)) batch.set(stateRef(name), {jobName: name, dueAt: Timestamp.fromDate(now)}, {merge: true});
        await batch.commit();
      }
    },

    claimSweep(now, everyMs) {
      const ref = firestore.collection(COLLECTIONS.enforceSweep).doc('last');
      return firestore.runTransaction(async tx => {
        const last: unknown = (await tx.get(ref)).get('sweptAt');
        if (last instanceof Timestamp && now.getTime() - last.toMillis() < everyMs) return false;
        tx.set(ref, {sweptAt: Timestamp.fromDate(now)});
        return true;
      });
    },

    async postpone(jobName, until, problem) {
      await stateRef(jobName).set({jobName, dueAt: Timestamp.fromDate(until), problem: {...problem}}, {merge: true});
    },

    completeOutbox: ids => deleteOutboxDocs(firestore, ids),
  };
}

/** The audit entry id of an enforcement action: one per job and action key, ever. */
export function auditIdOf(jobName: string, key: string): string {
  return `enforce~${docIdOf(jobName)}~${docIdOf(key)}`;
}

function auditDoc(entry: EnforceAuditEntry) {
  const ref = parseNasJobName(entry.jobName);
  return {
    ...entry.fields, id: auditIdOf(entry.jobName, entry.key), key: entry.key, time: entry.time, at: Timestamp.fromDate(new Date(entry.time)), expireAt: expireAtOf(entry.time),
    caller: ENFORCE_CALLER, source: 'enforce', target: entry.jobName, project: ref?.project ?? null, location: ref?.location ?? null,
  };
}

function readSnapshot(mirror: Omit<EnforceSnapshot, 'state'>, state: DocumentSnapshot): EnforceSnapshot {
  try {
    return {...mirror, state: readEnforceState(state)};
  } catch (error) {
    return {...mirror, state: EMPTY_ENFORCE_STATE, stateProblem: problemOf(error)};
  }
}

function readMirror(job: DocumentSnapshot): Omit<EnforceSnapshot, 'state'> {
  const project: unknown = job.get('project');
  const targetKey: unknown = job.get('targetKey');
  const target = typeof project === 'string' && typeof targetKey === 'string' ? {target: {project, targetKey}} : {};
  try {
    const record = readJobRecord(job);
    return {...target, ...(record ? {record} : {})};
  } catch (error) {
    return {...target, recordProblem: problemOf(error)};
  }
}

function problemOf(error: unknown): {field: string; reason: string} {
  if (!(error instanceof StoredDataError)) throw error;
  return {field: error.field, reason: error.message};
}

// The document id encodes the name, so a damaged field does not hide the job.
function nameOf(value: unknown, docId: string): string {
  return typeof value === 'string' && docIdOf(value) === docId ? value : docId.replaceAll('~', '/');
}
