// DashboardStore on Firestore: the job table through the incremental feed, and one job's file from
// the mirror, its history, the audit trail (gate and enforce), enforce's state and notify's delivery
// records. Every query has a limit; the composite indexes they need are in firestore.indexes.json.
import type {DocumentSnapshot, Firestore} from '@google-cloud/firestore';
import type {AuditRecord, DeliveryRecord, JobFile} from '../../core/dashboard/index.js';
import type {Logger} from '../../log.js';
import type {DashboardStore} from '../../use-cases/dashboard/dashboard-deps.js';
import {COLLECTIONS, jobIdOf} from './collections.js';
import {readAuditRecord, readDashboardJob, readDeliveryRecord, readHistoryEntry} from './dashboard-docs.js';
import {createJobFeed} from './dashboard-job-feed.js';
import {readEnforceState} from './enforce-doc.js';

/** At most this many of one job's transitions, audit entries and notifications are shown (newest). */
export const DASHBOARD_DETAIL_LIMIT = 200;

/** A document id as the dashboard's API accepts it: a resource name with '/' → '~'. */
export const DASHBOARD_JOB_ID = /^[A-Za-z0-9._~-]{1,1000}$/;

/** Options of {@link createFirestoreDashboardStore}. */
export interface FirestoreDashboardStoreOptions {
  readonly firestore: Firestore;
  readonly log: Logger;
  readonly clock?: () => number;
}

/** Creates the Firestore-backed DashboardStore. */
export function createFirestoreDashboardStore(options: FirestoreDashboardStoreOptions): DashboardStore {
  const {firestore, log} = options;
  const feeds = new Map<number, ReturnType<typeof createJobFeed>>();
  return {
    recentJobs(limit) {
      let feed = feeds.get(limit);
      if (!feed) feeds.set(limit, (feed = createJobFeed({firestore, limit, log, ...(options.clock ? {clock: options.clock} : {})})));
      return feed.read();
    },
    async jobFile(id) {
      if (!DASHBOARD_JOB_ID.test(id)) return undefined;
      const jobRef = firestore.collection(COLLECTIONS.jobs).doc(id);
      const job = readDashboardJob(await jobRef.get());
      if (!job) return undefined;
      const name = job.record.name;
      // Enforce audits under the job's name (Vertex's project number); the gate under the path its
      // caller used, which names the project by ID as configured.
      const targets = [...new Set([name, `projects/${job.project}/locations/${job.location}/nasJobs/${jobIdOf(name)}`])];
      const audit = firestore.collection(COLLECTIONS.audit);
      const [history, targeted, created, deliveries, enforce] = await Promise.all([
        jobRef.collection(COLLECTIONS.history).orderBy('sequence', 'desc').limit(DASHBOARD_DETAIL_LIMIT).get(),
        audit.where('target', 'in', targets).orderBy('at', 'desc').limit(DASHBOARD_DETAIL_LIMIT).get(),
        // A create is audited under its parent; `resultingJob` ties it to the job it made.
        audit.where('resultingJob', '==', name).limit(10).get(),
        readDeliveries(firestore, name),
        firestore.collection(COLLECTIONS.enforcement).doc(id).get(),
      ]);
      const cancel = cancelOf(enforce);
      return {
        job,
        history: history.docs.flatMap(doc => optional(readHistoryEntry(doc.data()))),
        audit: [...targeted.docs, ...created.docs].flatMap(doc => optional<AuditRecord>(readAuditRecord(doc.id, doc.data()))),
        deliveries,
        ...(cancel ? {cancel} : {}),
      };
    },
  };
}

async function readDeliveries(firestore: Firestore, name: string): Promise<DeliveryRecord[]> {
  const records = await firestore.collection(COLLECTIONS.notifyDeliveries)
    .where('subject', '==', name).orderBy('createdAt', 'desc').limit(DASHBOARD_DETAIL_LIMIT).get();
  // A record names its group as `{head id}#{gen}`; a burst shares one group, so each is read once.
  const groupIds = [...new Set(records.docs.map(doc => doc.get('group')).filter((g): g is string => typeof g === 'string' && g.includes('#')))];
  const refs = groupIds.map(group => {
    const [head, gen] = [group.slice(0, group.lastIndexOf('#')), group.slice(group.lastIndexOf('#') + 1)];
    return firestore.collection(COLLECTIONS.notifyHeads).doc(head).collection(COLLECTIONS.notifyGroups).doc(gen);
  });
  const groups = refs.length > 0 ? await firestore.getAll(...refs) : [];
  const byId = new Map(groupIds.map((id, index) => [id, groups[index]]));
  return records.docs.flatMap(doc => optional(readDeliveryRecord(doc.data(), byId.get(String(doc.get('group'))))));
}

// Only the cancel tracking is shown; a damaged state document costs that line, not the page.
function cancelOf(snapshot: DocumentSnapshot): JobFile['cancel'] {
  try {
    const cancel = readEnforceState(snapshot).cancel;
    if (!cancel) return undefined;
    return {rule: cancel.rule, status: cancel.status, attempts: cancel.attempts, ...(cancel.lastError ? {lastError: cancel.lastError} : {})};
  } catch {
    return undefined;
  }
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
