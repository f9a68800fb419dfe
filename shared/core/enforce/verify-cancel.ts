import type {RuntimePolicy} from '../policy/policy.js';
import type {EnforcementAction} from './enforcement-action.js';
import {isCancelSettled, type CancelTracking} from './enforce-state.js';
import type {JobFacts} from './job-facts.js';
import {formatSeconds} from './rule-scope.js';

// Cancel is best effort in Vertex (a CANCELLING job may still end SUCCEEDED or FAILED, and a cancel
// request can be lost), so every cancel is followed until the job ends: confirmed when it ends
// CANCELLED, failed when it ends otherwise or takes too long; re-sent while it waits.

/**
 * How long one invocation's call to Vertex may take before another may try again. It covers the
 * client's own retries at their worst (5 attempts of 20 s and a server-requested wait of up to 2
 * minutes), so a slow call is not overlapped; a crashed one is taken over when it runs out.
 */
export const IN_FLIGHT_MS = 5 * 60_000;

/** What following a cancel asks for now. */
export interface CancelCheck {
  readonly cancel: CancelTracking;
  readonly actions: readonly EnforcementAction[];
  /** Send a cancel to Vertex after the commit; this is its attempt number. */
  readonly attempt?: number;
  readonly dueMs: number | null;
}

const ENDED_STATES = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_PAUSED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PARTIALLY_SUCCEEDED']);

/** Follows a cancel one step, given what the job looks like now. */
export function verifyCancel(facts: JobFacts, cancel: CancelTracking, done: Readonly<Record<string, number>>, policy: RuntimePolicy, nowMs: number): CancelCheck {
  const base = {...cancel, ...(facts.state === 'JOB_STATE_CANCELLING' ? {sawCancelling: true} : {})};
  const outcome = (action: 'cancel-confirmed' | 'cancel-failed', reason: string): CancelCheck => {
    const status = action === 'cancel-confirmed' ? 'confirmed' : 'failed';
    const report: EnforcementAction = {key: action, action, rule: cancel.rule, reason, dryRun: false, publish: true};
    return {cancel: withoutFlight({...base, status}), actions: done[action] === undefined ? [report] : [], dueMs: null};
  };
  if (facts.state === 'JOB_STATE_CANCELLED') return outcome('cancel-confirmed', `the job ended CANCELLED${attemptsNote(base)}`);
  // After a timeout was reported, only a late CANCELLED is news; the job's other endings are not.
  if (cancel.status === 'confirmed' || cancel.status === 'failed') return {cancel: base, actions: [], dueMs: null};
  if (facts.deleted) return outcome('cancel-failed', `the job was deleted before it ended CANCELLED${attemptsNote(base)}`);
  if (ENDED_STATES.has(facts.state)) return outcome('cancel-failed', `the job ended ${facts.state} despite the cancel${attemptsNote(base)}`);
  const giveUpMs = cancel.requestedMs + policy.cancelTimeoutSeconds * 1000;
  if (nowMs >= giveUpMs) {
    return outcome('cancel-failed', `the job is still ${facts.state} ${formatSeconds((nowMs - cancel.requestedMs) / 1000)} after the cancel${attemptsNote(base)}`);
  }
  const nextMs = nextAttemptMs(base, policy);
  if (nextMs !== undefined && nextMs <= nowMs) {
    const attempt = base.attempts + 1;
    const claimed = {...base, attempts: attempt, lastAttemptMs: nowMs, inFlightUntilMs: nowMs + IN_FLIGHT_MS};
    return {cancel: claimed, actions: [], attempt, dueMs: Math.min(giveUpMs, nowMs + IN_FLIGHT_MS)};
  }
  return {cancel: base, actions: [], dueMs: Math.min(giveUpMs, nextMs ?? giveUpMs)};
}

/** When a cancel that is not settled must be looked at next, if nothing else happens first. */
export function nextCheckMs(cancel: CancelTracking, policy: RuntimePolicy): number | null {
  if (isCancelSettled(cancel)) return null;
  const giveUpMs = cancel.requestedMs + policy.cancelTimeoutSeconds * 1000;
  return Math.min(giveUpMs, nextAttemptMs(cancel, policy) ?? giveUpMs);
}

// An attempt in flight blocks others until it reports or its claim runs out; a failed call waits for
// its retry time; an accepted (or refused) cancel is re-sent once the re-issue timeout has passed.
function nextAttemptMs(cancel: CancelTracking, policy: RuntimePolicy): number | undefined {
  if (cancel.inFlightUntilMs !== undefined) return cancel.inFlightUntilMs;
  const reissueMs = policy.reissueCancelAfterSeconds * 1000;
  const after = cancel.lastSentMs === undefined ? (cancel.retryAtMs ?? cancel.requestedMs) : cancel.lastSentMs + reissueMs;
  return cancel.retryAtMs === undefined ? after : Math.max(after, cancel.retryAtMs);
}

/** What a call to Vertex's cancel came to. */
export type CancelOutcome =
  | {readonly kind: 'sent'}
  /** FAILED_PRECONDITION or NOT_FOUND: the job had already finished, or is gone. */
  | {readonly kind: 'refused'; readonly message: string}
  /** 429, 503, a timeout…: try again at `retryAtMs`. */
  | {readonly kind: 'retry'; readonly message: string; readonly retryAtMs: number}
  /** Anything else (a 403, a 400): tried again at the re-issue timeout, reported when it runs out. */
  | {readonly kind: 'error'; readonly message: string};

/** Records how attempt `attempt` went; a late report of an attempt already superseded changes nothing. */
export function applyCancelOutcome(cancel: CancelTracking, attempt: number, outcome: CancelOutcome, policy: RuntimePolicy, nowMs: number): CancelTracking {
  if (cancel.attempts !== attempt || isCancelSettled(cancel)) return cancel;
  const rest = withoutFlight(cancel);
  switch (outcome.kind) {
    case 'sent':
      return {...withoutRetry(rest), status: 'sent', lastSentMs: nowMs};
    case 'refused':
      return {...withoutRetry(rest), status: 'refused', lastSentMs: nowMs, lastError: outcome.message};
    case 'retry':
      return {...rest, retryAtMs: outcome.retryAtMs, lastError: outcome.message};
    case 'error':
      return {...rest, retryAtMs: nowMs + policy.reissueCancelAfterSeconds * 1000, lastError: outcome.message};
  }
}

function withoutFlight(cancel: CancelTracking): CancelTracking {
  const {inFlightUntilMs: _, ...rest} = cancel;
  return rest;
}

function withoutRetry(cancel: CancelTracking): CancelTracking {
  const {retryAtMs: _, ...rest} = cancel;
  return rest;
}

function attemptsNote(cancel: CancelTracking): string {
  const sent = cancel.attempts === 1 ? '1 attempt' : `${cancel.attempts} attempts`;
  return ` (${sent}${cancel.sawCancelling ? ', seen CANCELLING' : ''}${cancel.lastError ? `; last error: ${cancel.lastError}` : ''})`;
}
