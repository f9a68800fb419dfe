import {applyCancelOutcome, nextCheckMs, type CancelOutcome} from '../../core/enforce/index.js';
import {isVertexApiError, retryDelayOf} from '../../core/vertex/index.js';
import {isRetryable} from '../../errors.js';
import type {EnforceDeps} from './enforce-deps.js';

// One cancel call to Vertex for an attempt the caller claimed in its transaction, so no other
// invocation makes the same call. What Vertex answered goes into the job's state and the audit trail;
// the outcome events (cancel-confirmed, cancel-failed) follow from the job's state, not from this call.

/** The shortest wait after a 429/503, so a zero RetryInfo cannot turn the tick into a loop. */
const MIN_RETRY_MS = 30_000;
/** The wait after a retryable failure that named no delay: about one scheduler tick. */
const DEFAULT_RETRY_MS = 60_000;

/** Sends attempt `attempt` of the job's cancel and records how it went. */
export async function sendCancel(deps: EnforceDeps, jobName: string, attempt: number): Promise<CancelOutcome> {
  let outcome: CancelOutcome;
  try {
    await deps.vertex.cancelNasJob(jobName);
    outcome = {kind: 'sent'};
  } catch (error) {
    outcome = classify(error, deps.now().getTime());
  }
  logOutcome(deps, jobName, attempt, outcome);
  const now = deps.now();
  await deps.store.transact(jobName, snapshot => {
    const cancel = snapshot.state.cancel;
    if (snapshot.stateProblem || !cancel) return {result: undefined};
    const next = applyCancelOutcome(cancel, attempt, outcome, deps.policy, now.getTime());
    const fields = {action: 'cancel-attempt', rule: cancel.rule, attempt, outcome: outcome.kind, ...('message' in outcome ? {message: outcome.message} : {})};
    const audit = [{key: `cancel-attempt/${attempt}`, jobName, time: now.toISOString(), fields}];
    const targetKey = snapshot.target?.targetKey ?? '';
    // Superseded by a later attempt, or the job settled meanwhile: the state stays as it is, but the
    // call was made, and every call to Vertex is on record.
    if (next === cancel) return {result: undefined, write: {state: snapshot.state, audit, events: [], targetKey}};
    const dueMs = nextCheckMs(next, deps.policy);
    return {
      result: undefined,
      write: {state: {...snapshot.state, cancel: next, dueMs: dueMs === null ? null : Math.max(dueMs, now.getTime() + 1000)}, audit, events: [], targetKey},
    };
  });
  return outcome;
}

function classify(error: unknown, nowMs: number): CancelOutcome {
  const message = error instanceof Error ? error.message : String(error);
  // The job had already finished (or was deleted): Vertex will never accept this cancel.
  if (isVertexApiError(error, 'FAILED_PRECONDITION') || isVertexApiError(error, 'NOT_FOUND')) return {kind: 'refused', message};
  if (isRetryable(error)) return {kind: 'retry', message, retryAtMs: nowMs + Math.max(MIN_RETRY_MS, retryDelayOf(error) ?? DEFAULT_RETRY_MS)};
  return {kind: 'error', message};
}

function logOutcome(deps: EnforceDeps, job: string, attempt: number, outcome: CancelOutcome): void {
  const fields = {job, attempt, outcome: outcome.kind, ...('message' in outcome ? {reason: outcome.message} : {})};
  if (outcome.kind === 'sent') deps.log.info('cancel sent to Vertex', fields);
  else if (outcome.kind === 'error') deps.log.error('Vertex refused the cancel; it is retried at the re-issue timeout', fields);
  else deps.log.warn(outcome.kind === 'refused' ? 'Vertex refused the cancel: the job had already finished or is gone' : 'cancel failed; retrying at the next tick', fields);
}
