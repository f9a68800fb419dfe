import {describe, expect, it} from 'vitest';
import {EMPTY_ENFORCE_STATE, IN_FLIGHT_MS, planEnforcement, policyVersionOf, RECHECK_MS, type EnforceState, type PlanInput} from '../../../../shared/core/enforce/index.js';
import {aJobFacts, H, rulesOf, T0} from './enforce-kit.js';

const policy = rulesOf({name: 'run', kind: 'max-run-time', limit: '10h'});
const input = (overrides: Partial<PlanInput> = {}): PlanInput =>
  ({facts: aJobFacts(), state: EMPTY_ENFORCE_STATE, policy, nowMs: T0 + 8 * H, forceDryRun: false, fresh: false, ...overrides});

describe('planEnforcement', () => {
  it('records a warning as done, stamps the policy version and schedules the next threshold', () => {
    const plan = planEnforcement(input());

    expect(plan.kind).toBe('plan');
    if (plan.kind !== 'plan') return;
    expect(plan.actions.map(action => action.key)).toEqual(['run/warn/0.8']);
    expect(plan.state).toMatchObject({done: {'run/warn/0.8': T0 + 8 * H}, dueMs: T0 + 10 * H, policyVersion: policy.fingerprint});
    expect(plan.attempt).toBeUndefined();
  });

  it('asks for a fresh read before a cancel decided on the mirror', () => {
    expect(planEnforcement(input({nowMs: T0 + 10 * H}))).toEqual({kind: 'needs-fresh'});
  });

  it('on fresh facts, opens the cancel and claims its first attempt', () => {
    const plan = planEnforcement(input({nowMs: T0 + 10 * H, fresh: true}));

    expect(plan.kind === 'plan' && plan.attempt).toBe(1);
    expect(plan.kind === 'plan' && plan.state.cancel).toEqual({
      rule: 'run', requestedMs: T0 + 10 * H, status: 'requested', attempts: 1, lastAttemptMs: T0 + 10 * H, inFlightUntilMs: T0 + 10 * H + IN_FLIGHT_MS,
    });
    expect(plan.kind === 'plan' && plan.state.done).toEqual({cancel: T0 + 10 * H});
  });

  it('does not cancel again once a cancel is open: it follows that one instead', () => {
    const state: EnforceState = {...EMPTY_ENFORCE_STATE, done: {cancel: T0}, cancel: {rule: 'run', requestedMs: T0 + 10 * H, status: 'sent', attempts: 1, lastSentMs: T0 + 10 * H}};
    const plan = planEnforcement(input({state, nowMs: T0 + 10 * H + 60_000}));

    expect(plan.kind === 'plan' && plan.actions).toEqual([]);
    expect(plan.kind === 'plan' && plan.state.dueMs).toBe(T0 + 10 * H + 600_000);
  });

  it('leaves finished and CANCELLING jobs alone when enforce has no cancel of its own open', () => {
    for (const state of ['JOB_STATE_SUCCEEDED', 'JOB_STATE_CANCELLING']) {
      const plan = planEnforcement(input({facts: aJobFacts({state}), nowMs: T0 + 12 * H}));
      expect(plan).toMatchObject({kind: 'plan', actions: [], state: {dueMs: null}});
    }
  });

  it('looks again later at a job the mirror lost while its cancel is open, and forgets one without', () => {
    const open: EnforceState = {...EMPTY_ENFORCE_STATE, cancel: {rule: 'run', requestedMs: T0, status: 'sent', attempts: 1}};
    const {facts: _, ...withoutFacts} = input();

    expect(planEnforcement({...withoutFacts, state: open})).toMatchObject({kind: 'plan', actions: [], state: {dueMs: T0 + 8 * H + RECHECK_MS}});
    expect(planEnforcement(withoutFacts)).toMatchObject({kind: 'plan', state: {dueMs: null}});
  });

  it('never schedules a job in the past', () => {
    const plan = planEnforcement(input({facts: aJobFacts({labels: {}}), nowMs: T0 + 8 * H}));

    expect(plan.kind === 'plan' && plan.state.dueMs! > T0 + 8 * H).toBe(true);
  });

  it('stamps a different version under NASMON_ENFORCE_DRY_RUN, so switching it re-evaluates every job', () => {
    expect(policyVersionOf(policy, true)).not.toBe(policyVersionOf(policy, false));
  });
});
