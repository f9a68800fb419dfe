import type {VertexNasClient} from '../../adapters/vertex/vertex-nas-client.js';
import type {Target} from '../../config.js';
import type {Policy} from '../../core/policy/policy.js';
import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {GateStore} from '../../ports/gate-store.js';

/** What the gate's use cases work with; functions/deps.ts builds it, tests build their own. */
export interface GateDeps {
  readonly policy: Policy;
  readonly vertex: Pick<VertexNasClient, 'createNasJob' | 'cancelNasJob' | 'deleteNasJob' | 'getNasJob'>;
  readonly store: GateStore;
  readonly publisher: EventPublisher;
  readonly log: Logger;
  readonly now: () => Date;
  /** A unique id for audit entries. */
  readonly newId: () => string;
  /**
   * The idempotency key of (caller, requestId): also the `request_id` label on the job, so two
   * callers who happen to pick the same requestId never find each other's jobs.
   */
  readonly requestKey: (caller: string, requestId: string) => string;
  /** How long a create may hold its claim before a retry may take over; default 60 s. */
  readonly claimTtlMs?: number;
  /** How long a duplicate waits for the first create to finish before answering 409. */
  readonly duplicateWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The targets the pollers watch (NASMON_TARGETS). A request event whose own target is not one of
   * them is filed under the first, so that a poller still publishes it if the gate does not.
   */
  readonly watchedTargets?: readonly Target[];
  /** Handed the writes an answer does not wait for (a successful create's audit entry); tests wait for them. */
  readonly background?: (work: Promise<void>) => void;
}

/** The outcome of one gate call, before it becomes an HTTP response. */
export interface GateOutcome {
  readonly status: number;
  readonly body: unknown;
}
