// The gate's reads of the job mirror the poller writes: one job, its history, and pages of jobs.
import type {Firestore} from '@google-cloud/firestore';
import type {HistoryEntry} from '../../core/poll/apply-observation.js';
import type {MirrorPage} from '../../ports/gate-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';
import {readJobRecord} from './job-doc.js';
import {ownerOf} from './gate-requests.js';
import {RESERVED_REQUEST_ID_LABEL} from '../../core/gate/labels.js';

/**
 * Finds a job by the path a caller used. Callers name the project by ID while Vertex names jobs by
 * project number, so the lookup goes through the query fields the poller stores, not the doc id.
 */
export async function findMirroredJob(firestore: Firestore, project: string, location: string, jobId: string) {
  const snapshot = await firestore.collection(COLLECTIONS.jobs)
    .where('project', '==', project).where('location', '==', location).where('jobId', '==', jobId).limit(1).get();
  const doc = snapshot.docs[0];
  const record = doc && readJobRecord(doc);
  if (!record) return undefined;
  const createdBy = await ownerOf(firestore, record.name, record.job.labels?.[RESERVED_REQUEST_ID_LABEL]);
  return createdBy === undefined ? {record} : {record, createdBy};
}

/** The job's transitions in order. */
export async function readHistory(firestore: Firestore, name: string): Promise<HistoryEntry[]> {
  const snapshot = await firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name)).collection(COLLECTIONS.history).orderBy('sequence').get();
  // Stored fields only: `expireAt` is for the TTL policy, not for callers.
  return snapshot.docs.map(doc => {
    const {expireAt: _expiry, ...entry} = doc.data();
    return entry as HistoryEntry;
  });
}

/**
 * One page of a target's mirrored jobs, newest first. The page token is the last document's id:
 * opaque to callers, and stable because ordering ties break on the id.
 */
export async function listMirroredJobs(firestore: Firestore, project: string, location: string, page: {pageSize: number; pageToken?: string}): Promise<MirrorPage> {
  let query = firestore.collection(COLLECTIONS.jobs)
    .where('project', '==', project).where('location', '==', location).where('deleted', '==', false)
    .orderBy('createTime', 'desc').orderBy('__name__', 'desc').limit(page.pageSize + 1);
  if (page.pageToken) {
    const cursor = await firestore.collection(COLLECTIONS.jobs).doc(page.pageToken).get();
    if (cursor.exists) query = query.startAfter(cursor);
  }
  const docs = (await query.get()).docs;
  const jobs = docs.slice(0, page.pageSize).flatMap(doc => {
    const record = readJobRecord(doc);
    return record ? [{record}] : [];
  });
  const last = docs.length > page.pageSize ? docs[page.pageSize - 1] : undefined;
  return last ? {jobs, nextPageToken: last.id} : {jobs};
}
