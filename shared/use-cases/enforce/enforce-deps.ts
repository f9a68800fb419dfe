import type {VertexNasClient} from '../../adapters/vertex/vertex-nas-client.js';
import type {EnforceState} from '../../core/enforce/index.js';
import type {OutboundEvent} from '../../core/events/nasjob-event.js';
import type {RuntimePolicy} from '../../core/policy/policy.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {OutboxBatch} from '../../ports/poll-store.js';

/** A field of a stored document that could not be read. */
export interface StoredProblem {
  readonly field: string;
  readonly reason: string;
}

/** What the store read for one job inside its transaction. */
export interface EnforceSnapshot {
  /** The mirror's record; undefined when the mirror has none (or `recordProblem` says why not). */
  readonly record?: JobRecord;
  /** From the mirror document: the configured project, and the outbox key of the poller that owns the job. */
  readonly target?: {readonly project: string; readonly targetKey: string};
  readonly recordProblem?: StoredProblem;
  /** Enforce's own state of the job (the empty state when it has none). */
  readonly state: EnforceState;
  /** Set when that state is unreadable; nothing is decided on it then. */
  readonly stateProblem?: StoredProblem;
}

/** One audit entry of enforce: its key is unique per job (an action key, or `cancel-attempt/{n}`). */
export interface EnforceAuditEntry {
  readonly key: string;
  readonly jobName: string;
  readonly time: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What one evaluation writes, together or not at all. */
export interface EnforceWrite {
  readonly state: EnforceState;
  readonly audit: readonly EnforceAuditEntry[];
  readonly events: readonly OutboundEvent[];
  /** The outbox key the events go under: that target's poller re-publishes them if this publish fails. */
  readonly targetKey: string;
}

/** Where enforce keeps its per-job state, its audit entries and its outbox. */
export interface EnforceStore {
  /**
   * Reads the job's mirror record, then its enforce state in a transaction that writes what `decide`
   * returns. `decide` may run more than once (the transaction is retried on contention), so it must
   * be pure; audit entries are created with a precondition, so none is ever written twice.
   */
  transact<T>(jobName: string, decide: (snapshot: EnforceSnapshot) => {write?: EnforceWrite; result: T}): Promise<{result: T; batches: OutboxBatch[]}>;
  /** Jobs whose due time has come, most overdue first. */
  dueJobs(now: Date, limit: number): Promise<string[]>;
  /** Every active job in the mirror, with the policy version of its enforce state (undefined: none yet). */
  activeJobVersions(): Promise<Map<string, string | undefined>>;
  /** Makes these jobs due now (the sweep hands them to the next ticks). */
  markDue(names: readonly string[], now: Date): Promise<void>;
  /** True for the one caller that may sweep now; others see the sweep as taken. */
  claimSweep(now: Date, everyMs: number): Promise<boolean>;
  /** Moves an unreadable state's due time on, so the job is not re-read on every tick. */
  postpone(jobName: string, until: Date, problem: StoredProblem): Promise<void>;
  completeOutbox(ids: readonly string[]): Promise<void>;
}

/** Limits and switches of enforce (loadEnforceConfig). */
export interface EnforceSettings {
  /** NASMON_ENFORCE_DRY_RUN: report only, whatever the policy file says. */
  readonly forceDryRun: boolean;
  readonly maxDuePerTick: number;
  readonly sweepEveryMs: number;
  /** Jobs evaluated at once by one tick. */
  readonly concurrency: number;
}

/** What enforce's use cases work with; functions/wiring/enforce.ts builds it, tests build their own. */
export interface EnforceDeps {
  readonly policy: RuntimePolicy;
  readonly store: EnforceStore;
  readonly vertex: Pick<VertexNasClient, 'cancelNasJob' | 'getNasJob'>;
  readonly publisher: EventPublisher;
  readonly log: Logger;
  readonly now: () => Date;
  readonly settings: EnforceSettings;
}
