import type {HistoryEntry} from '../poll/apply-observation.js';
import type {JobRecord, TrialStage} from '../poll/job-record.js';

// What the dashboard reads from the store, already typed by the adapter: the poller's mirror and
// history, the gate's and enforce's audit trail, notify's delivery records, and trials as read from
// Vertex. The core turns these into view models; it never sees a document.

/** One mirrored job: the poller's record plus the query fields of its `nasJobs` document. */
export interface DashboardJob {
  /** The document id: the resource name with '/' → '~' (URL-safe, so it is also the API's job id). */
  readonly id: string;
  readonly record: JobRecord;
  /** The configured target's project (an ID; the name carries Vertex's project number). */
  readonly project: string;
  readonly location: string;
  /** The job's `team` label, when it has one. */
  readonly team?: string;
}

/** One gate decision about a job (`nasmonAudit`, written by the gate's audit-call). */
export interface GateAuditRecord {
  readonly source: 'gate';
  readonly id: string;
  readonly time: string;
  readonly caller: string;
  readonly action: string;
  /** The job name, or the parent location for a create. */
  readonly target: string;
  readonly project: string;
  readonly location: string;
  readonly verdict: string;
  readonly httpStatus?: number;
  /** The rules that failed, as `rule: message`. */
  readonly violations: readonly string[];
  readonly warnings: readonly string[];
  /** The mutations applied, as `rule: op path`. */
  readonly mutations: readonly string[];
  readonly error?: string;
}

/** One enforcement entry (`nasmonAudit/enforce~…`): an action, or a call to Vertex (`cancel-attempt/{n}`). */
export interface EnforceAuditRecord {
  readonly source: 'enforce';
  readonly id: string;
  readonly time: string;
  /** The action key, e.g. `max-run-time/warn/0.8`, `cancel`, `cancel-attempt/1`. */
  readonly key: string;
  readonly action?: string;
  readonly rule?: string;
  readonly reason?: string;
  readonly dryRun: boolean;
  readonly ratio?: number;
  readonly limitSeconds?: number;
  /** The `enforcement` event's id; absent for audit-mode rules and Vertex calls (nothing published). */
  readonly eventId?: string;
  /** Vertex calls: how the call ended, and what Vertex said. */
  readonly outcome?: string;
  readonly message?: string;
}

/** Either kind of audit entry about one job. */
export type AuditRecord = GateAuditRecord | EnforceAuditRecord;

/** One notification of one event to one channel (`nasmonNotifyDeliveries`, with its group's state). */
export interface DeliveryRecord {
  readonly eventId: string;
  readonly channel: string;
  /** The event's kind as notify names it: stateChanged, bestImproved, enforcement, … */
  readonly kind: string;
  readonly time: string;
  /** The group's state: open, sending, sent, rejected; unknown when the group could not be read. */
  readonly state: string;
  readonly detail?: string;
}

/** One trial as read from Vertex: only finished trials carry a metric value. */
export interface TrialReading {
  readonly stage: TrialStage;
  readonly id: string;
  readonly state: string;
  readonly endTime?: string;
  /** Metric id → value of the trial's final measurement. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What the trial source could tell about a job's trials. */
export type TrialsResult =
  | {readonly kind: 'trials'; readonly trials: readonly TrialReading[]}
  | {readonly kind: 'none'}
  | {readonly kind: 'unavailable'; readonly reason: string};

/** Everything stored about one job, for its detail view. */
export interface JobFile {
  readonly job: DashboardJob;
  readonly history: readonly HistoryEntry[];
  readonly audit: readonly AuditRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  /** enforce's cancel tracking, when it is cancelling the job. */
  readonly cancel?: {readonly rule: string; readonly status: string; readonly attempts: number; readonly lastError?: string};
}
