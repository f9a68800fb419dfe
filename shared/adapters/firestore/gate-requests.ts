// Idempotency claims of the gate's creates, and who created which job.
import {Timestamp, type Firestore, type WriteBatch} from '@google-cloud/firestore';
import {decodeNasJob, type NasJob} from '../../core/vertex/index.js';
import type {RequestClaim} from '../../ports/gate-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';
import {plainJson} from './job-doc.js';

/**
 * Claims `key`: the first caller creates the claim document and gets `claimed`; later ones read the
 * finished job, or `in-progress` while the first is still creating. No transaction: concurrent
 * duplicates (a client retrying 20 times at once) would only contend for a lock, while `create`
 * lets exactly one of them win. A claim older than `ttlMs` (its holder died) is taken over with a
 * precondition on its update time, so only one taker wins; the Vertex client then looks the job up
 * by its request-id label before creating, so a takeover still never creates twice.
 */
export async function claimRequest(firestore: Firestore, key: string, caller: string, ttlMs: number, now: () => Date): Promise<RequestClaim> {
  const ref = firestore.collection(COLLECTIONS.requests).doc(key);
  const claim = {caller, state: 'in-progress', claimedAt: Timestamp.fromDate(now())};
  // Read first: waiting duplicates poll here, and reads never contend for the document's lock.
  let snapshot = await ref.get();
  if (!snapshot.exists) {
    try {
      await ref.create(claim);
      return {kind: 'claimed'};
    } catch (error) {
      if ((error as {code?: number}).code !== ALREADY_EXISTS) throw error;
    }
    snapshot = await ref.get();
  }
  const data = snapshot.data();
  if (!snapshot.exists || !data) return {kind: 'in-progress'}; // released a moment ago: the next poll claims it
  if (data.state === 'done' && data.job) return {kind: 'done', job: decodeNasJob(data.job, 'job')};
  const claimedAt = data.claimedAt instanceof Timestamp ? data.claimedAt.toMillis() : 0;
  if (now().getTime() - claimedAt < ttlMs) return {kind: 'in-progress'};
  try {
    await ref.update(claim, {lastUpdateTime: snapshot.updateTime!});
    return {kind: 'claimed'};
  } catch {
    return {kind: 'in-progress'}; // another taker won
  }
}

const ALREADY_EXISTS = 6;

/** Marks the claim done with the job, and records the caller as the job's creator. */
export async function completeRequest(firestore: Firestore, key: string, job: NasJob, caller: string, now: () => Date): Promise<void> {
  const batch = firestore.batch();
  batch.set(firestore.collection(COLLECTIONS.requests).doc(key), {caller, state: 'done', job: plainJson(job), jobName: job.name, doneAt: Timestamp.fromDate(now())});
  recordOwner(batch, firestore, job.name, caller, now());
  await batch.commit();
}

/** Adds to `batch` the record of who created `jobName` through the gate (read by ownerOf). */
export function recordOwner(batch: WriteBatch, firestore: Firestore, jobName: string, caller: string, at: Date): void {
  batch.set(firestore.collection(COLLECTIONS.owners).doc(docIdOf(jobName)), {caller, jobName, createdAt: Timestamp.fromDate(at)});
}

/** Frees a claim whose create failed, so a retry can try again at once. */
export async function releaseRequest(firestore: Firestore, key: string): Promise<void> {
  await firestore.collection(COLLECTIONS.requests).doc(key).delete();
}

/**
 * The email of whoever created the job through the gate, if anyone did. The creator record goes
 * with the create's audit entry, which a create's answer does not wait for; until it lands, the
 * create's intent (found by the job's request key) names the caller.
 */
export async function ownerOf(firestore: Firestore, jobName: string, requestKey?: string): Promise<string | undefined> {
  const snapshot = await firestore.collection(COLLECTIONS.owners).doc(docIdOf(jobName)).get();
  const caller = snapshot.get('caller') as unknown;
  if (typeof caller === 'string') return caller;
  if (requestKey === undefined) return undefined;
  const intents = await firestore.collection(COLLECTIONS.intents).where('requestKey', '==', requestKey).limit(1).get();
  const intended = intents.docs[0]?.get('caller') as unknown;
  return typeof intended === 'string' ? intended : undefined;
}
