// GateStore on Firestore: the gate's reads of the mirror, its idempotency claims, team slots and audit.
import {Timestamp, type Firestore, type WriteBatch} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import type {OutboundEvent} from '../../core/events/nasjob-event.js';
import type {AuditEntry, GateStore, SlotSettlement} from '../../ports/gate-store.js';
import {COLLECTIONS, expireAtOf, targetKeyOf} from './collections.js';
import {claimRequest, completeRequest, ownerOf, recordOwner, releaseRequest} from './gate-requests.js';
import {deleteIntent, intentDoc, readStaleIntents} from './gate-intents.js';
import {findMirroredJob, listMirroredJobs, readHistory} from './gate-mirror.js';
import {plainJson} from './job-doc.js';
import {createGroupCommit} from './group-commit.js';
import {OWN_PUBLISH_CLAIM_MS, toOutboxDocs} from './outbox-doc.js';
import {createPerKeyQueue} from './per-key-queue.js';
import {createTeamSlots} from './team-slots.js';

/** Options of {@link createFirestoreGateStore}. */
export interface FirestoreGateStoreOptions {
  readonly firestore: Firestore;
  readonly clock?: () => Date;
  /** How long a team-slot reservation counts before the mirror must show the job; default 10 min. */
  readonly reservationMs?: number;
  /**
   * How long this instance's read of a team's active jobs serves its next creates of the team, and
   * dry runs (the slot document itself is always checked by a create's precondition); default 5 s.
   */
  readonly slotViewMaxAgeMs?: number;
  /** How often, while creates come, this instance reads every team's slots at once (team-board.ts); default 2 s, 0: never. */
  readonly slotBoardRefreshMs?: number;
  /** How long the poller leaves the gate's own request events to it (see OWN_PUBLISH_CLAIM_MS, the default). */
  readonly ownPublishClaimMs?: number;
}

/** Creates the Firestore-backed GateStore. */
export function createFirestoreGateStore(options: FirestoreGateStoreOptions): GateStore {
  const {firestore, clock = () => new Date(), reservationMs = 10 * 60_000, slotViewMaxAgeMs = 5000, slotBoardRefreshMs = 2000} = options;
  const {ownPublishClaimMs = OWN_PUBLISH_CLAIM_MS} = options;
  // One team's slot document is written by one call of this instance at a time, so this instance's
  // creates never fail each other's preconditions; the precondition still guards against other instances.
  const perTeam = createPerKeyQueue();
  // A dry run's count is advisory (creates racing it may change it anyway, and the mirror it counts
  // lags Vertex by up to a poll interval), so dry runs count from a read of every team up to
  // slotViewMaxAgeMs old; a real create writes only if the slot document is still as it counted.
  const slots = createTeamSlots(firestore, {now: clock, keepMs: reservationMs, viewMaxAgeMs: slotViewMaxAgeMs, boardRefreshMs: slotBoardRefreshMs});
  // Audit entries and outbox deletions of concurrent calls share commits (each call still waits for its own).
  const commitGrouped = createGroupCommit(firestore);
  // An audit entry's writes: the entry, its request event's outbox record, the creator of a job made
  // without a requestId, the deletion of the create's intent, and the settlement of its team slot.
  const auditWrites = (audit: {entry: AuditEntry; event: OutboundEvent; outboxTarget: Target; slot: SlotSettlement | undefined; intentId: string | undefined; recovery: boolean}) => {
    const {entry, slot, intentId} = audit;
    // The request event rides the outbox: if the gate's own publish has not happened within its
    // claim, a poll cycle on the target publishes it, so no decision goes unannounced.
    const [outbox] = toOutboxDocs([audit.event], targetKeyOf(audit.outboxTarget), 0, new Date(clock().getTime() + ownPublishClaimMs));
    // The creator of a job made without a requestId, for ownership rules (completeRequest records
    // the creator of one made with a requestId, before its retries can find the job).
    const created = entry.action === 'create' && entry.requestId === undefined ? entry.resultingJob : undefined;
    const auditRef = firestore.collection(COLLECTIONS.audit).doc(entry.id);
    const auditDoc = {...plainJson(entry), at: Timestamp.fromDate(new Date(entry.time)), expireAt: expireAtOf(entry.time)};
    let settled = () => {};
    return {
      batchId: outbox!.batch.id,
      writes: 2 + (created ? 1 : 0) + (intentId ? 1 : 0) + (slot ? 1 : 0),
      apply(batch: WriteBatch) {
        // Recovery must never write over (or beside) an entry the gate wrote after all.
        if (audit.recovery) batch.create(auditRef, auditDoc);
        else batch.set(auditRef, auditDoc);
        batch.set(firestore.collection(COLLECTIONS.outbox).doc(outbox!.batch.id), outbox!.data);
        if (created) recordOwner(batch, firestore, created, entry.caller, new Date(entry.time));
        if (intentId) batch.delete(firestore.collection(COLLECTIONS.intents).doc(intentId));
        // A settlement is a document of its own, so it shares commits like any audit entry.
        if (slot) settled = slots.settle(batch, slot);
      },
      /** To call once the writes are committed. */
      settled: () => settled(),
    };
  };
  return {
    findJob: (project, location, jobId) => findMirroredJob(firestore, project, location, jobId),
    jobCreator: (name, requestKey) => ownerOf(firestore, name, requestKey),
    jobHistory: name => readHistory(firestore, name),
    listJobs: (project, location, page) => listMirroredJobs(firestore, project, location, page),
    reserveTeamSlot: (team, key, decide, intent) => perTeam(team, () => slots.reserve(team, key, decide, intent && (batch => void batch.set(...intentDoc(firestore, intent()))))),
    countTeamJobs: team => slots.count(team),
    claimRequest: (key, caller, ttlMs) => claimRequest(firestore, key, caller, ttlMs, clock),
    completeRequest: (key, job, caller) => completeRequest(firestore, key, job, caller, clock),
    releaseRequest: key => releaseRequest(firestore, key),
    async recordAudit(entry, event, outboxTarget, slot, intentId) {
      const audit = auditWrites({entry, event, outboxTarget, slot, intentId, recovery: false});
      await commitGrouped(audit);
      audit.settled();
      return {batchId: audit.batchId};
    },
    async recoverAudit(entry, event, outboxTarget, slot) {
      const audit = auditWrites({entry, event, outboxTarget, slot, intentId: entry.id, recovery: true});
      // Alone: a precondition that fails would fail every call sharing the commit.
      const batch = firestore.batch();
      audit.apply(batch);
      try {
        await batch.commit();
      } catch (error) {
        if ((error as {code?: number}).code !== ALREADY_EXISTS) throw error;
        // The gate wrote the entry after all (its write landed late), or another recovery did.
        await deleteIntent(firestore, entry.id);
        return undefined;
      }
      audit.settled();
      return {batchId: audit.batchId};
    },
    async recordIntent(intent) {
      const [ref, data] = intentDoc(firestore, intent);
      await ref.set(data);
    },
    staleIntents: (before, limit) => readStaleIntents(firestore, before, limit),
    dropIntent: id => deleteIntent(firestore, id),
    // Deferred: the event is out, and until the deletion lands the claim keeps the poller
    // off the record; should this instance stop first, the poller publishes it again (same ce-id).
    completeOutbox: ids => commitGrouped.deferred({writes: ids.length, apply: batch => {
      for (const id of ids) batch.delete(firestore.collection(COLLECTIONS.outbox).doc(id));
    }}),
  };
}

const ALREADY_EXISTS = 6;
