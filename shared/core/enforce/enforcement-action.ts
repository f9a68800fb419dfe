import type {RuntimeRuleKind} from '../policy/policy.js';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from '../events/nasjob-event.js';

// An action enforce takes about a job, and how it is told: an audit entry always, and an
// `enforcement` event unless the rule is in audit mode. Both are keyed by (job, action key), so the
// same action can never be recorded or published under two ids.

/** The `action` of an enforcement event (design.md, "Events"). */
export type ActionName = 'warn' | 'cancel' | 'cancel-failed' | 'cancel-confirmed';

/** One action about one job. */
export interface EnforcementAction {
  /**
   * Unique per job and taken at most once: `{rule}/warn/{threshold}`, `cancel` (one per job,
   * whichever rule gets there first), `cancel-confirmed`, `cancel-failed`; dry-run and audit
   * actions end in `/dry-run` or `/audit`, so switching them off later still acts for real.
   */
  readonly key: string;
  readonly action: ActionName;
  readonly rule: string;
  readonly ruleKind?: RuntimeRuleKind;
  readonly reason: string;
  /** Only reported: nothing was or will be cancelled for it. */
  readonly dryRun: boolean;
  /** False for audit-mode rules: the audit trail only. */
  readonly publish: boolean;
  /** The fraction of the limit the action is for; 1 is the limit itself. */
  readonly threshold?: number;
  readonly ratio?: number;
  readonly limitSeconds?: number;
  readonly limitSource?: 'policy' | 'label';
}

/** The `nasmon.nasjob.v1.enforcement` event of an action. */
export function enforcementEvent(jobName: string, jobState: string, action: EnforcementAction, time: string): OutboundEvent {
  return buildEvent(
    {id: eventIdOf(jobName, action.key), type: EVENT_TYPES.enforcement, job: {name: jobName}, time, state: jobState},
    {jobName, ...actionFields(action), jobState, time},
  );
}

/** The event id of an action: a readable path, the same however often the action is attempted. */
export function eventIdOf(jobName: string, key: string): string {
  return `${jobName}/enforcement/${key}`;
}

/** What the audit trail keeps of an action (the store adds where and when). */
export function auditFieldsOf(action: EnforcementAction, jobState: string): Record<string, unknown> {
  return {...actionFields(action), jobState};
}

function actionFields(action: EnforcementAction): Record<string, unknown> {
  return {
    rule: action.rule, action: action.action, reason: action.reason, dryRun: action.dryRun,
    ...(action.ruleKind === undefined ? {} : {ruleKind: action.ruleKind}),
    ...(action.threshold === undefined ? {} : {threshold: action.threshold}),
    ...(action.ratio === undefined ? {} : {ratio: Math.round(action.ratio * 1000) / 1000}),
    ...(action.limitSeconds === undefined ? {} : {limitSeconds: action.limitSeconds}),
    ...(action.limitSource === undefined ? {} : {limitSource: action.limitSource}),
  };
}
