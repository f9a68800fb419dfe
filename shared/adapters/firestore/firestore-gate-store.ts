// GateStore on Firestore: the gate's reads of the mirror, its idempotency claims, team slots and audit.
import {Timestamp, type Firestore} from '@google-cloud/firestore';
import type {GateStore} from '../../ports/gate-store.js';
import {COLLECTIONS} from './collections.js';
import {claimRequest, completeRequest, releaseRequest} from './gate-requests.js';
import {findMirroredJob, listMirroredJobs, readHistory} from './gate-mirror.js';
import {plainJson} from './job-doc.js';
import {deleteOutboxDocs, toOutboxDocs} from './outbox-doc.js';
import {reserveTeamSlot, settleTeamSlot} from './team-slots.js';

/** Options of {@link createFirestoreGateStore}. */
export interface FirestoreGateStoreOptions {
  readonly firestore: Firestore;
  readonly clock?: () => Date;
  /** How long a team-slot reservation counts before the mirror must show the job; default 10 min. */
  readonly reservationMs?: number;
}

/** Creates the Firestore-backed GateStore. */
export function createFirestoreGateStore(options: FirestoreGateStoreOptions): GateStore {
  const {firestore, clock = () => new Date(), reservationMs = 10 * 60_000} = options;
  return {
    findJob: (project, location, jobId) => findMirroredJob(firestore, project, location, jobId),
    jobHistory: name => readHistory(firestore, name),
    listJobs: (project, location, page) => listMirroredJobs(firestore, project, location, page),
    reserveTeamSlot: (team, key, decide) => reserveTeamSlot(firestore, team, key, decide, clock, reservationMs),
    settleTeamSlot: (team, key, jobName) => settleTeamSlot(firestore, team, key, jobName),
    claimRequest: (key, caller, ttlMs) => claimRequest(firestore, key, caller, ttlMs, clock),
    completeRequest: (key, job, caller) => completeRequest(firestore, key, job, caller, clock),
    releaseRequest: key => releaseRequest(firestore, key),
    async recordAudit(entry, event, targetKey) {
      // The request event rides the outbox: if publishing fails, the poller's next cycle on the
      // target publishes it, so no decision goes unannounced.
      const [outbox] = toOutboxDocs([event], targetKey, 0);
      const batch = firestore.batch();
      batch.set(firestore.collection(COLLECTIONS.audit).doc(entry.id), {...plainJson(entry), at: Timestamp.fromDate(new Date(entry.time))});
      batch.set(firestore.collection(COLLECTIONS.outbox).doc(outbox!.batch.id), outbox!.data);
      await batch.commit();
      return {batchId: outbox!.batch.id};
    },
    completeOutbox: ids => deleteOutboxDocs(firestore, ids),
  };
}
