import type {RuntimePolicy} from '../policy/policy.js';
import {decideRules, type SkippedRule} from './decide-rules.js';
import type {EnforcementAction} from './enforcement-action.js';
import {isCancelSettled, type CancelTracking, type EnforceState} from './enforce-state.js';
import type {JobFacts} from './job-facts.js';
import {IN_FLIGHT_MS, verifyCancel} from './verify-cancel.js';

// One evaluation of one job: given its facts, enforce's state for it, the rules and the time, what to
// record and publish, what to store, whether to call Vertex, and when to look again. Pure.

/** What one evaluation starts from. */
export interface PlanInput {
  /** Undefined when the mirror has no readable record of the job. */
  readonly facts?: JobFacts;
  /** The job's state, with any newly reported trials already merged. */
  readonly state: EnforceState;
  readonly policy: RuntimePolicy;
  readonly nowMs: number;
  /** NASMON_ENFORCE_DRY_RUN: every rule only reports, whatever the file says. */
  readonly forceDryRun: boolean;
  /** The facts come from a `get` made for this evaluation rather than from the mirror. */
  readonly fresh: boolean;
}

/** What to do. */
export type EnforcementPlan =
  | {
      readonly kind: 'plan';
      readonly actions: readonly EnforcementAction[];
      readonly state: EnforceState;
      /** Send a cancel to Vertex after the commit, as this attempt number. */
      readonly attempt?: number;
      readonly skipped: readonly SkippedRule[];
    }
  /** A cancel is due on the mirror's word: read the job from Vertex and evaluate again before acting. */
  | {readonly kind: 'needs-fresh'};

/** How often a job whose mirror record is missing is looked at while its cancel is open. */
export const RECHECK_MS = 5 * 60_000;

// Rules judge jobs that wait or run; a CANCELLING job is already on its way out.
const JUDGED_STATES = new Set(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_UPDATING']);

/** The version a job's state is stamped with: the rules it was judged by. */
export function policyVersionOf(policy: RuntimePolicy, forceDryRun: boolean): string {
  return forceDryRun ? `${policy.fingerprint}:dry-run` : policy.fingerprint;
}

/** Plans one evaluation. */
export function planEnforcement(input: PlanInput): EnforcementPlan {
  const {facts, state, policy, nowMs} = input;
  const finish = (actions: readonly EnforcementAction[], next: EnforceState, dueMs: number | null, extra: {attempt?: number; skipped?: readonly SkippedRule[]} = {}): EnforcementPlan => ({
    kind: 'plan', actions, skipped: extra.skipped ?? [], ...(extra.attempt === undefined ? {} : {attempt: extra.attempt}),
    state: {
      ...next,
      done: {...next.done, ...Object.fromEntries(actions.map(action => [action.key, nowMs]))},
      // Never due in the past: a job that keeps coming back due would be re-read on every tick.
      dueMs: dueMs === null ? null : Math.max(dueMs, nowMs + 1000),
      policyVersion: policyVersionOf(policy, input.forceDryRun),
    },
  });
  if (!facts) return finish([], state, state.cancel && !isCancelSettled(state.cancel) ? nowMs + RECHECK_MS : null);
  if (state.cancel) {
    const check = verifyCancel(facts, state.cancel, state.done, policy, nowMs);
    return finish(check.actions, {...state, cancel: check.cancel}, check.dueMs, check.attempt === undefined ? {} : {attempt: check.attempt});
  }
  if (facts.deleted || !JUDGED_STATES.has(facts.state)) return finish([], state, null);
  const decisions = decideRules(facts, policy, state.done, nowMs, input.forceDryRun);
  if (decisions.cancel && !input.fresh) return {kind: 'needs-fresh'};
  if (!decisions.cancel) return finish(decisions.actions, state, decisions.dueMs, {skipped: decisions.skipped});
  const cancel: CancelTracking = {
    rule: decisions.cancel.rule, requestedMs: nowMs, status: 'requested', attempts: 1, lastAttemptMs: nowMs, inFlightUntilMs: nowMs + IN_FLIGHT_MS,
  };
  return finish(decisions.actions, {...state, cancel}, nowMs + IN_FLIGHT_MS, {attempt: 1, skipped: decisions.skipped});
}
