import {describe, expect, it} from 'vitest';
import {applyCancelOutcome, IN_FLIGHT_MS, verifyCancel, type CancelOutcome, type CancelTracking} from '../../../../shared/core/enforce/index.js';
import {aJobFacts, H, runtimeOf, T0} from './enforce-kit.js';

// Re-issue after 10 minutes, give up after an hour (the defaults).
const policy = runtimeOf({rules: []});
const M = 60_000;
type CancelOverrides = {[K in keyof CancelTracking]?: CancelTracking[K] | undefined};
/** A cancel Vertex accepted at T0; `undefined` in the overrides removes a field. */
const sent = (overrides: CancelOverrides = {}): CancelTracking => {
  const cancel = {rule: 'run', requestedMs: T0, status: 'sent', attempts: 1, lastAttemptMs: T0, lastSentMs: T0, ...overrides};
  return Object.fromEntries(Object.entries(cancel).filter(([, value]) => value !== undefined)) as unknown as CancelTracking;
};

describe('verifyCancel', () => {
  it.each<[string, {state: string; deleted?: boolean; cancel?: CancelOverrides; done?: Record<string, number>; atMinutes: number}, {action?: string; status: string; attempt?: number; dueMinutes: number | null}]>([
    ['confirms a job that ended CANCELLED', {state: 'JOB_STATE_CANCELLED', atMinutes: 3}, {action: 'cancel-confirmed', status: 'confirmed', dueMinutes: null}],
    ['reports a job that ended SUCCEEDED despite the cancel', {state: 'JOB_STATE_SUCCEEDED', atMinutes: 3}, {action: 'cancel-failed', status: 'failed', dueMinutes: null}],
    ['reports a job that ended FAILED despite the cancel', {state: 'JOB_STATE_FAILED', atMinutes: 3}, {action: 'cancel-failed', status: 'failed', dueMinutes: null}],
    ['reports a job deleted before it ended CANCELLED', {state: 'JOB_STATE_CANCELLING', deleted: true, atMinutes: 3}, {action: 'cancel-failed', status: 'failed', dueMinutes: null}],
    ['waits for a CANCELLING job until the re-issue timeout', {state: 'JOB_STATE_CANCELLING', atMinutes: 3}, {status: 'sent', dueMinutes: 10}],
    ['re-issues the cancel after the timeout', {state: 'JOB_STATE_CANCELLING', atMinutes: 10}, {status: 'sent', attempt: 2, dueMinutes: 15}],
    ['re-issues to a job still RUNNING as well', {state: 'JOB_STATE_RUNNING', cancel: {attempts: 2, lastSentMs: T0 + 20 * M}, atMinutes: 31}, {status: 'sent', attempt: 3, dueMinutes: 36}],
    ['leaves an attempt in flight alone', {state: 'JOB_STATE_RUNNING', cancel: {status: 'requested', lastSentMs: undefined, inFlightUntilMs: T0 + 2 * M}, atMinutes: 1}, {status: 'requested', dueMinutes: 2}],
    ['takes over an attempt whose invocation died', {state: 'JOB_STATE_RUNNING', cancel: {status: 'requested', lastSentMs: undefined, inFlightUntilMs: T0 + 2 * M}, atMinutes: 2}, {status: 'requested', attempt: 2, dueMinutes: 7}],
    ['retries a cancel that met a 503 at its retry time', {state: 'JOB_STATE_RUNNING', cancel: {status: 'requested', lastSentMs: undefined, retryAtMs: T0 + M}, atMinutes: 1}, {status: 'requested', attempt: 2, dueMinutes: 6}],
    ['does not retry before the retry time', {state: 'JOB_STATE_RUNNING', cancel: {status: 'requested', lastSentMs: undefined, retryAtMs: T0 + 5 * M}, atMinutes: 1}, {status: 'requested', dueMinutes: 5}],
    ['gives up on a job that stays CANCELLING too long', {state: 'JOB_STATE_CANCELLING', cancel: {lastSentMs: T0 + 50 * M}, atMinutes: 60}, {action: 'cancel-failed', status: 'failed', dueMinutes: null}],
    ['confirms a late CANCELLED after giving up', {state: 'JOB_STATE_CANCELLED', cancel: {status: 'failed'}, done: {'cancel-failed': T0}, atMinutes: 90}, {action: 'cancel-confirmed', status: 'confirmed', dueMinutes: null}],
    ['stays quiet when a job it gave up on ends otherwise', {state: 'JOB_STATE_SUCCEEDED', cancel: {status: 'failed'}, done: {'cancel-failed': T0}, atMinutes: 90}, {status: 'failed', dueMinutes: null}],
    ['never reports an outcome twice', {state: 'JOB_STATE_CANCELLED', cancel: {status: 'confirmed'}, done: {'cancel-confirmed': T0}, atMinutes: 5}, {status: 'confirmed', dueMinutes: null}],
  ])('%s', (_, given, expected) => {
    const facts = aJobFacts({state: given.state, deleted: given.deleted ?? false});
    const check = verifyCancel(facts, sent(given.cancel), given.done ?? {}, policy, T0 + given.atMinutes * M);

    expect(check.actions.map(action => action.action)).toEqual(expected.action ? [expected.action] : []);
    expect(check.cancel.status).toBe(expected.status);
    expect(check.attempt).toBe(expected.attempt);
    expect(check.dueMs === null ? null : (check.dueMs - T0) / M).toBe(expected.dueMinutes);
  });

  it('says what happened in the reason of an outcome', () => {
    const check = verifyCancel(aJobFacts({state: 'JOB_STATE_SUCCEEDED'}), sent({attempts: 2, sawCancelling: true, lastError: '503 UNAVAILABLE: x'}), {}, policy, T0 + H);

    expect(check.actions[0]).toMatchObject({
      key: 'cancel-failed', rule: 'run', dryRun: false, publish: true,
      reason: 'the job ended JOB_STATE_SUCCEEDED despite the cancel (2 attempts, seen CANCELLING; last error: 503 UNAVAILABLE: x)',
    });
  });

  it('claims an attempt so that no other invocation makes the same call', () => {
    const check = verifyCancel(aJobFacts(), sent(), {}, policy, T0 + 10 * M);

    expect(check.cancel).toMatchObject({attempts: 2, lastAttemptMs: T0 + 10 * M, inFlightUntilMs: T0 + 10 * M + IN_FLIGHT_MS});
  });
});

describe('applyCancelOutcome', () => {
  const claimed: CancelTracking = {rule: 'run', requestedMs: T0, status: 'requested', attempts: 1, lastAttemptMs: T0, inFlightUntilMs: T0 + IN_FLIGHT_MS};

  it.each<[string, CancelOutcome, Partial<CancelTracking>]>([
    ['an accepted cancel starts the re-issue timer', {kind: 'sent'}, {status: 'sent', lastSentMs: T0 + M}],
    ['FAILED_PRECONDITION is recorded as refused', {kind: 'refused', message: '400 FAILED_PRECONDITION: done'}, {status: 'refused', lastSentMs: T0 + M, lastError: '400 FAILED_PRECONDITION: done'}],
    ['a 503 waits for its retry time', {kind: 'retry', message: '503 UNAVAILABLE', retryAtMs: T0 + 2 * M}, {status: 'requested', retryAtMs: T0 + 2 * M}],
    ['a 403 waits for the re-issue timeout', {kind: 'error', message: '403 PERMISSION_DENIED'}, {status: 'requested', retryAtMs: T0 + 11 * M}],
  ])('%s', (_, outcome, expected) => {
    const next = applyCancelOutcome(claimed, 1, outcome, policy, T0 + M);

    expect(next).toMatchObject(expected);
    expect(next.inFlightUntilMs).toBeUndefined();
  });

  it('ignores the late report of an attempt that was superseded', () => {
    const later = {...claimed, attempts: 2};

    expect(applyCancelOutcome(later, 1, {kind: 'sent'}, policy, T0 + M)).toBe(later);
  });
});
