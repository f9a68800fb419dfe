import type {RuntimePolicy, RuntimeRule} from '../policy/policy.js';
import type {EnforcementAction} from './enforcement-action.js';
import type {JobFacts} from './job-facts.js';
import {measureRule, type Measurement} from './measure-rule.js';
import {isExempt, selects} from './rule-scope.js';

// The rules' verdicts on one job that is not being cancelled yet: at most one action per rule (the
// highest threshold reached that no action has covered yet), one real cancel per job, and the next
// moment a threshold will be reached if nothing but time changes.

/** A rule that could not judge the job, naming the field it lacked. */
export interface SkippedRule {
  readonly rule: string;
  readonly field: string;
  readonly reason: string;
}

/** What the rules decided. */
export interface RuleDecisions {
  readonly actions: readonly EnforcementAction[];
  /** The real (not dry-run) cancel among `actions`, if any. */
  readonly cancel?: EnforcementAction;
  readonly dueMs: number | null;
  readonly skipped: readonly SkippedRule[];
}

type Measured = Extract<Measurement, {kind: 'measured'}>;

/** Runs every rule on `facts`; `done` holds the keys of actions already taken. */
export function decideRules(facts: JobFacts, policy: RuntimePolicy, done: Readonly<Record<string, number>>, nowMs: number, forceDryRun: boolean): RuleDecisions {
  const actions: EnforcementAction[] = [];
  const skipped: SkippedRule[] = [];
  let cancel: EnforcementAction | undefined;
  let dueMs: number | null = null;
  for (const rule of policy.rules) {
    if (isExempt(policy.exemptLabel, rule, facts) || !selects(rule.appliesTo, facts)) continue;
    const m = measureRule(rule, facts, nowMs);
    if (m.kind === 'skipped') skipped.push({rule: rule.name, field: m.field, reason: m.reason});
    if (m.kind !== 'measured') continue;
    const flavor = rule.mode === 'audit' ? 'audit' : forceDryRun || policy.dryRun || rule.dryRun ? 'dry-run' : 'real';
    const ladder = thresholdsOf(rule, flavor);
    const passed = Math.max(-1, ...ladder.filter(step => done[step.key] !== undefined).map(step => step.at));
    const reached = ladder.filter(step => step.at <= m.ratio && step.at > passed).pop();
    // Another rule's cancel already covers this job: its own cancel step would add nothing.
    if (reached && !(reached.key === 'cancel' && (cancel || done.cancel !== undefined))) {
      const action = actionOf(rule, flavor, reached, m);
      actions.push(action);
      if (reached.key === 'cancel') cancel = action;
    }
    for (const step of ladder) {
      const at = step.at > m.ratio && step.at > passed ? m.reachesAtMs?.(step.at) : undefined;
      if (at !== undefined) dueMs = dueMs === null ? at : Math.min(dueMs, at);
    }
  }
  // A real cancel makes this evaluation's real warnings moot; reports of dry-run and audit rules stand.
  const kept = cancel ? actions.filter(action => action === cancel || action.dryRun) : actions;
  return {actions: kept, ...(cancel ? {cancel} : {}), dueMs, skipped};
}

interface Step {
  readonly at: number;
  readonly key: string;
  readonly action: 'warn' | 'cancel';
}

// Each warning fraction, then the limit: a cancel (enforce, audit) or a last warning (warn mode).
function thresholdsOf(rule: RuntimeRule, flavor: 'real' | 'dry-run' | 'audit'): Step[] {
  const suffix = flavor === 'real' ? '' : `/${flavor}`;
  const warn = (at: number): Step => ({at, key: `${rule.name}/warn/${at}${suffix}`, action: 'warn'});
  const limit: Step = rule.mode === 'warn' ? warn(1) : {at: 1, key: flavor === 'real' ? 'cancel' : `${rule.name}/cancel${suffix}`, action: 'cancel'};
  return [...rule.warnAt.map(warn), limit];
}

function actionOf(rule: RuntimeRule, flavor: 'real' | 'dry-run' | 'audit', step: Step, m: Measured): EnforcementAction {
  const what = step.at === 1 ? 'limit reached' : `warning at ${Math.round(step.at * 100)}% of the limit`;
  return {
    key: step.key, action: step.action, rule: rule.name, ruleKind: rule.kind, reason: `${m.reason}; ${what}`,
    dryRun: flavor !== 'real', publish: flavor !== 'audit', threshold: step.at, ratio: m.ratio,
    ...(m.limit ? {limitSeconds: m.limit.seconds, limitSource: m.limit.source} : {}),
  };
}
