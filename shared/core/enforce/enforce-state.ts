// What enforce remembers about one job between evaluations (one small document per job): when it
// must look again, which actions it has taken, how its cancel is going, and the recent finished
// trials it needs for medians and for "when did a trial last finish". Times are epoch milliseconds.

/** A finished trial, as enforce remembers it. */
export interface TrialMark {
  readonly stage: 'search' | 'train';
  readonly endMs: number;
  /** Run time in seconds, when the trial had a start time. */
  readonly seconds?: number;
  /** INFEASIBLE: Vertex's only failure state for trials. */
  readonly failed: boolean;
}

/** Finished trials by `{stage}/{id}`, the most recent ones only (see MAX_TRIAL_MARKS). */
export type TrialLog = Readonly<Record<string, TrialMark>>;

/**
 * Where a cancel stands. `requested`: decided, Vertex has not accepted it yet; `sent`: Vertex accepted
 * it; `refused`: Vertex answered FAILED_PRECONDITION or NOT_FOUND (the job had finished or gone);
 * `confirmed`: the job ended CANCELLED; `failed`: it ended otherwise, or did not end in time.
 */
export type CancelStatus = 'requested' | 'sent' | 'refused' | 'confirmed' | 'failed';

/** A cancel enforce decided on, and its verification. */
export interface CancelTracking {
  readonly rule: string;
  readonly requestedMs: number;
  readonly status: CancelStatus;
  /** Calls made (or being made) to Vertex, the first included. */
  readonly attempts: number;
  readonly lastAttemptMs?: number;
  /** When Vertex last accepted (or refused) a cancel: the re-issue timer runs from here. */
  readonly lastSentMs?: number;
  /** No new attempt before this, after a 429/503 or an error. */
  readonly retryAtMs?: number;
  /** An invocation is calling Vertex until then; others leave the job alone. */
  readonly inFlightUntilMs?: number;
  readonly lastError?: string;
  readonly sawCancelling?: boolean;
}

/** The per-job state. */
export interface EnforceState {
  /** When the job must be evaluated again; null when nothing can happen without a change to the job. */
  readonly dueMs: number | null;
  /** The policy version (fingerprint) it was last evaluated under. */
  readonly policyVersion: string;
  /** Action key → when it was taken. A key present means "never again". */
  readonly done: Readonly<Record<string, number>>;
  readonly cancel?: CancelTracking;
  readonly trials: TrialLog;
  /** Finished trials ever added to the log (marks are dropped, this count is not): tells whether events were missed. */
  readonly trialsSeen: number;
}

/** The state of a job enforce has not seen before. */
export const EMPTY_ENFORCE_STATE: EnforceState = {dueMs: null, policyVersion: '', done: {}, trials: {}, trialsSeen: 0};

/** True when the cancel reached its end: confirmed, or reported failed. */
export function isCancelSettled(cancel: CancelTracking | undefined): boolean {
  return cancel?.status === 'confirmed' || cancel?.status === 'failed';
}
