import type {TrialCounts} from '../poll/job-record.js';
import type {NotifyEventKind} from './event-kinds.js';

// What notify keeps of one event from `nasjob-events`: the facts a message shows, nothing more. It
// is stored with each pending delivery (so a grouped message can be rendered later), so it stays
// small: the job snapshot of a state change is cut down to what a reader of the message needs.

/** The job as a state-change or deletion event carried it. */
export interface EventJob {
  readonly displayName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createTime?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  /** google.rpc.Status of a FAILED or CANCELLED job. */
  readonly error?: {readonly code?: number; readonly message: string};
}

/** Trial counts of one stage: the poller's own TrialCounts, as its trial events carry them. */
export type EventTrialCounts = TrialCounts;

/** Fields of every notifiable event. */
export interface NotifyEventBase {
  /** `ce-id`: stable per transition, the de-duplication key. */
  readonly id: string;
  readonly kind: NotifyEventKind;
  /** `ce-time`. */
  readonly time: string;
  /** `ce-nasjob`: the job's resource name (for a refused create, the parent location). */
  readonly subject: string;
  /** `ce-state`: the job's state (a request's verdict). */
  readonly state: string;
}

/** One event, by kind. */
export type NotifyEvent = NotifyEventBase &
  (
    | {
        readonly kind: 'stateChanged';
        readonly previousState: string | null;
        readonly sequence: number;
        readonly dwellSeconds: number | null;
        readonly skipped: boolean;
        readonly job: EventJob;
      }
    | {readonly kind: 'deleted'; readonly lastState?: string; readonly job: EventJob}
    | {
        readonly kind: 'trialChanged';
        readonly stage: string;
        readonly trialId: string;
        readonly trialState: string;
        readonly previousTrialState: string | null;
        readonly counts?: EventTrialCounts;
      }
    | {
        readonly kind: 'bestImproved';
        readonly stage: string;
        readonly metricId: string;
        readonly value: number;
        readonly previousBest: number | null;
        readonly trialId: string;
      }
    | {readonly kind: 'enforcement'; readonly rule?: string; readonly action?: string; readonly reason?: string; readonly dryRun?: boolean}
    | {
        readonly kind: 'request';
        readonly caller: string;
        readonly action: string;
        readonly verdict: string;
        readonly target: string;
        readonly violations: readonly string[];
      }
  );

/** A delivered event nasmon does not know how to notify; acknowledged with a warning. */
export interface UnknownEvent {
  readonly kind: 'unknown';
  readonly id: string;
  readonly type: string;
}
