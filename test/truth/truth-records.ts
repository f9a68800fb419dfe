// The three records a ground-truth check compares, as plain data: what really happened (the NAS
// simulator's history), what nasmon wrote down (Firestore history and audit trail), and what a
// subscriber received. Plain data, so the checker is a pure function and can be fed made-up records.
import {EVENT_TYPES} from '../../shared/core/events/nasjob-event.js';

/** The event types whose record is a history entry (design.md, "Events"). */
export const STATE_EVENT_TYPES: ReadonlySet<string> = new Set([EVENT_TYPES.stateChanged, EVENT_TYPES.deleted]);

/** One state a job truly held from `time` on (simulated RFC 3339, as the simulator writes it). */
export interface TrueState {
  readonly state: string;
  readonly time: string;
}

/** One cancel request the simulator answered 200 (`repeated`: the job was CANCELLING already). */
export interface TrueCancel {
  readonly time: string;
  readonly effect: 'started' | 'repeated';
}

/** One job as GET /simulator/history tells it. */
export interface TrueJob {
  readonly name: string;
  readonly deleted: boolean;
  readonly deleteTime?: string;
  readonly scenario?: string;
  readonly states: readonly TrueState[];
  readonly cancelRequests?: readonly TrueCancel[];
}

/** The simulator's history: every job, and the simulated instant it was taken at. */
export interface SimulatorTruth {
  readonly now: string;
  readonly jobs: readonly TrueJob[];
}

/** One document of a job's `history` subcollection. */
export interface RecordedTransition {
  /** The job's resource name, from the parent document's id (the id cannot be edited in place). */
  readonly job: string;
  /** The document id: the sequence, zero-padded to 6 digits. */
  readonly docId: string;
  readonly sequence: number;
  /** `DELETED` for a deletion. */
  readonly state: string;
  readonly previousState: string | null;
  readonly observedTime: string;
  readonly skipped: boolean;
  readonly eventId: string;
}

/** One `nasmonAudit` document: a gate decision, or an enforcement action (`enforce~…` ids). */
export interface AuditRecord {
  readonly id: string;
  /** Its fields as plain JSON (Timestamps as RFC 3339 strings). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One `nasmonEnforcement` document: what enforce has done about a job. */
export interface EnforcementRecord {
  readonly job: string;
  /** The action keys marked done. */
  readonly done: readonly string[];
  /** Cancel calls to Vertex enforce claimed (`cancel.attempts`; 0 without a cancel): each makes at most one call. */
  readonly cancelAttempts: number;
}

/** One delivery on the test subscription; the array's order is the arrival order. */
export interface ReceivedEvent {
  readonly id: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** Wall-clock ms at which the subscriber got it. */
  readonly receivedAtMs: number;
  readonly orderingKey?: string;
  /** The Pub/Sub message id: the same on a redelivery, a new one when the event was published again. */
  readonly messageId?: string;
}

/** Everything {@link checkGroundTruth} compares. */
export interface TruthRecords {
  readonly truth: SimulatorTruth;
  readonly history: readonly RecordedTransition[];
  readonly audit: readonly AuditRecord[];
  readonly enforcement: readonly EnforcementRecord[];
  readonly events: readonly ReceivedEvent[];
}

/** The job an event is about: the `ce-nasjob` extension, else its ordering key. */
export function jobOfEvent(event: ReceivedEvent): string {
  return event.attributes['ce-nasjob'] ?? event.orderingKey ?? '';
}

/** Enforcement audit entries are `enforce~{job}~{key}`; every other entry is a gate decision. */
export function isEnforceAudit(entry: AuditRecord): boolean {
  return entry.id.startsWith('enforce~') || entry.fields.source === 'enforce';
}
