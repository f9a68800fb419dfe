import type {Target} from '../config.js';
import type {OutboundEvent} from '../core/events/nasjob-event.js';
import type {HistoryEntry} from '../core/poll/apply-observation.js';
import type {JobRecord} from '../core/poll/job-record.js';
import type {NasJob} from '../core/vertex/index.js';

/** A job as the gate serves it: the mirror's record, who created it through the gate, its history. */
export interface MirroredJob {
  readonly record: JobRecord;
  readonly createdBy?: string;
}

/** One page of the mirror. */
export interface MirrorPage {
  readonly jobs: readonly MirroredJob[];
  readonly nextPageToken?: string;
}

/** The outcome of claiming an idempotency key for a create. */
export type RequestClaim =
  | {readonly kind: 'claimed'}
  | {readonly kind: 'done'; readonly job: NasJob}
  | {readonly kind: 'in-progress'};

/** Everything about one gate decision, as the audit trail keeps it. */
export interface AuditEntry {
  readonly id: string;
  readonly time: string;
  readonly caller: string;
  readonly action: string;
  /** The job name, or the parent for a create and a list. */
  readonly target: string;
  readonly project: string;
  readonly location: string;
  readonly verdict: 'allowed' | 'denied' | 'validated' | 'failed';
  /** Absent when recovery wrote the entry: what the gate answered, if it did, was not recorded. */
  readonly httpStatus?: number;
  readonly violations: readonly unknown[];
  readonly warnings: readonly string[];
  readonly mutations: readonly unknown[];
  readonly resultingJob?: string;
  readonly requestId?: string;
  /** Absent when recovery wrote the entry. */
  readonly latencyMs?: number;
  readonly error?: string;
  /** When recovery wrote the entry (recoverGateCreates), because the gate's instance stopped before it did. */
  readonly recoveredAt?: string;
}

/** A create's team slot, to tie to the job it became (no `jobName`: the create failed, free the slot). */
export interface SlotSettlement {
  readonly team: string;
  readonly key: string;
  readonly jobName?: string;
}

/**
 * What the gate writes beside a create's call to Vertex, before it knows the outcome: enough to
 * write the create's audit entry if the gate stops before it can (recoverGateCreates). The audit
 * entry's own write removes it.
 */
export interface CreateIntent extends Pick<AuditEntry, 'time' | 'caller' | 'project' | 'location' | 'requestId' | 'violations' | 'warnings' | 'mutations'> {
  /** The audit entry's id. */
  readonly id: string;
  readonly parent: string;
  /** The `request_id` label the job carries in Vertex: how recovery finds it. */
  readonly requestKey: string;
  /** The team whose slot the create reserved (under the request key), to settle. */
  readonly slotTeam?: string;
  /** Whose poller publishes the request event if nobody else does (see GateStore.recordAudit). */
  readonly outboxTarget: Target;
}

/** A stored intent that could not be read: it is dropped, and logged with its fields. */
export interface UnreadableIntent {
  readonly id: string;
  readonly problem: string;
  readonly data: unknown;
}

/** The gate's view of Firestore: the mirror (read-only), idempotency claims, team slots, audit. */
export interface GateStore {
  findJob(project: string, location: string, jobId: string): Promise<MirroredJob | undefined>;
  /**
   * Who created the job through the gate, if anyone did: for a job the mirror does not have yet.
   * `requestKey` (the job's request_id label) finds the create's intent while its record is not written.
   */
  jobCreator(name: string, requestKey?: string): Promise<string | undefined>;
  jobHistory(name: string): Promise<HistoryEntry[]>;
  listJobs(project: string, location: string, page: {pageSize: number; pageToken?: string}): Promise<MirrorPage>;
  /**
   * Reserves a create slot for `team` when `decide(activeJobs)` says yes, atomically with other
   * creates of the team: active jobs in the mirror plus creates reserved but not yet mirrored. The
   * create's `intent` (asked for once `decide` said yes) is written in the same commit.
   */
  reserveTeamSlot(team: string, key: string, decide: (activeJobs: number) => boolean, intent?: () => CreateIntent): Promise<boolean>;
  /** The same count, read without reserving anything (validateOnly); racing creates may change it. */
  countTeamJobs(team: string): Promise<number>;
  /** Claims the caller's request id for a create; `done` hands back the job created before. */
  claimRequest(key: string, caller: string, ttlMs: number): Promise<RequestClaim>;
  completeRequest(key: string, job: NasJob, caller: string): Promise<void>;
  releaseRequest(key: string): Promise<void>;
  /**
   * Writes the audit entry and its request event (through the outbox of `outboxTarget`, whose poller
   * publishes it if the gate does not) in one batch; for a create that reserved a team slot, the
   * same batch ties the slot to the job (or frees it), and deletes the create's intent (`intentId`).
   */
  recordAudit(entry: AuditEntry, event: OutboundEvent, outboxTarget: Target, slot?: SlotSettlement, intentId?: string): Promise<{batchId: string}>;
  /**
   * recordAudit for recovery, from the intent whose id is the entry's: the entry is only created,
   * never written over. If one exists already (the gate wrote it after all, or another recovery
   * did), nothing is written, the intent is deleted, and the answer is undefined.
   */
  recoverAudit(entry: AuditEntry, event: OutboundEvent, outboxTarget: Target, slot?: SlotSettlement): Promise<{batchId: string} | undefined>;
  /** Writes a create's intent (see {@link CreateIntent}). */
  recordIntent(intent: CreateIntent): Promise<void>;
  /** Intents written before `before`, oldest first: creates whose gate never recorded them. */
  staleIntents(before: Date, limit: number): Promise<Array<CreateIntent | UnreadableIntent>>;
  /** Removes an intent without an audit entry (it was unreadable). */
  dropIntent(id: string): Promise<void>;
  /** Removes outbox batches once published (the same outbox the poller uses). */
  completeOutbox(ids: readonly string[]): Promise<void>;
}
