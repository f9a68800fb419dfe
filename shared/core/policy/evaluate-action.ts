import {classifyJobState, JOB_STATES, type JobState} from '../vertex/index.js';
import {assembleVerdict, deniedVerdict} from './assemble-verdict.js';
import {accessViolation} from './authorize.js';
import {field} from './job-view.js';
import type {Finding} from './check-submission.js';
import {TEAM_LABEL, type ActionRule, type Policy} from './policy.js';
import {callerMatches, identityOf, inScope, resolveTeam} from './resolve-team.js';
import type {ActionFacts, Caller, Verdict, Violation} from './verdict.js';

/** Decides a cancel or delete: access first (a denial stops there), then every action rule in scope. */
export function evaluateAction(policy: Policy, facts: ActionFacts): Verdict {
  const callerTeam = resolveTeam(policy, facts.caller);
  const rawTeam = field(facts.jobLabels, TEAM_LABEL);
  const jobTeam = typeof rawTeam === 'string' ? rawTeam : undefined;
  const target = {project: facts.project, location: facts.location, ...(jobTeam === undefined ? {} : {team: jobTeam})};
  const denied = accessViolation(policy, facts.caller, callerTeam, facts.action, target);
  if (denied) return deniedVerdict(denied, callerTeam);

  const violations: Violation[] = [];
  for (const rule of policy.actionRules) {
    if (!rule.actions.has(facts.action) || !inScope(rule.scope, facts.project, facts.location, jobTeam)) continue;
    if (rule.exempt && callerMatches(rule.exempt, facts.caller, callerTeam)) continue;
    for (const finding of checkActionRule(rule, facts, callerTeam, jobTeam)) violations.push({rule: rule.name, mode: rule.mode, ...finding});
  }
  return assembleVerdict({violations, notes: [], mutations: [], team: callerTeam});
}

function checkActionRule(rule: ActionRule, facts: ActionFacts, callerTeam: string | undefined, jobTeam: string | undefined): Finding[] {
  switch (rule.kind) {
    case 'ownership': {
      const own = isCreator(facts.caller, facts.createdBy);
      const sameTeam = jobTeam !== undefined && jobTeam === callerTeam;
      const allowed = rule.allow.some(entry =>
        (!entry.callers || callerMatches(entry.callers, facts.caller, callerTeam)) &&
        (entry.jobs === 'any' || (entry.jobs === 'own' && own) || (entry.jobs === 'team' && sameTeam)));
      if (allowed) return [];
      const relations = [...new Set(rule.allow.filter(e => !e.callers || callerMatches(e.callers, facts.caller, callerTeam)).map(e => e.jobs))];
      const whose = relations.length === 0 ? 'no jobs' : `only ${relations.map(describeRelation).join(' or ')}`;
      return [{field: 'createdBy', actual: {createdBy: facts.createdBy ?? null, team: jobTeam ?? null}, limit: relations,
        message: `${String(facts.caller.email)} may ${facts.action} ${whose}`}];
    }
    case 'protected-label': {
      const value = field(facts.jobLabels, rule.key);
      if (value === undefined || (rule.value !== undefined && value !== rule.value)) return [];
      return [{field: `labels.${rule.key}`, actual: value, limit: rule.value ?? 'absent',
        message: `the job is protected by label ${rule.key}=${value}; it cannot be ${facts.action === 'delete' ? 'deleted' : 'cancelled'}`}];
    }
    case 'terminal-only': {
      const state = facts.jobState;
      const terminal = (JOB_STATES as readonly string[]).includes(state) && classifyJobState(state as JobState) === 'terminal';
      return terminal ? [] : [{field: 'state', actual: state, limit: 'a terminal state',
        message: `the job is ${String(state)}; only finished jobs (succeeded, failed, cancelled…) can be deleted`}];
    }
  }
}

function isCreator(caller: Caller, createdBy: string | undefined): boolean {
  if (typeof createdBy !== 'string') return false;
  const {email} = identityOf(caller);
  return email !== '' && createdBy.trim().toLowerCase() === email;
}

function describeRelation(relation: 'own' | 'team' | 'any'): string {
  return relation === 'own' ? 'jobs they created' : relation === 'team' ? "their team's jobs" : 'any job';
}
