import {matchesName} from './name-matcher.js';
import {ACCESS_RULE} from './parse-context.js';
import type {Grant, Policy} from './policy.js';
import {callerMatches, resolveTeam} from './resolve-team.js';
import type {Caller, GateAction, Verdict, Violation} from './verdict.js';

/** Where a gate action is aimed: the job's project and location, and the job's team when it has one. */
export interface ActionTarget {
  readonly project: string;
  readonly location: string;
  /** The job's `team` label (for create: after mutations). */
  readonly team?: string;
}

/**
 * Whether any access grant lets the caller do `action` on `target`. Grants only allow; with no
 * matching grant the answer is no. Always enforced: there is no warn or audit mode for access.
 */
export function authorize(policy: Policy, caller: Caller, action: GateAction, target: ActionTarget): Verdict {
  const team = resolveTeam(policy, caller);
  const violation = accessViolation(policy, caller, team, action, target);
  return {
    allowed: violation === undefined,
    violations: violation ? [violation] : [],
    warnings: [],
    mutations: [],
    ...(team === undefined ? {} : {team}),
  };
}

/**
 * Whether some grant lets the caller do `action` in this project and location on the jobs of at least
 * one team. The gate asks before it looks a job up, so a caller with no access there never causes a
 * read of the mirror or a call to Vertex; the full check, with the job's team, still follows.
 */
export function mayActIn(policy: Policy, caller: Caller, action: GateAction, target: Omit<ActionTarget, 'team'>): boolean {
  const callerTeam = resolveTeam(policy, caller);
  return policy.access.some(grant =>
    grant.actions.has(action) &&
    matchesName(grant.projects, target.project) &&
    matchesName(grant.locations, target.location) &&
    (grant.teams.any || namesATeam(grant) || (grant.teams.own && callerTeam !== undefined)) &&
    callerMatches(grant.callers, caller, callerTeam));
}

/**
 * Whether the caller may see one listed job: `authorize(…, 'list', …)` without a team only says the
 * caller may list in this project and location at all; each job of the answer then needs a grant
 * that covers its team (a job without a team label only through a grant for any team), as `get` does.
 */
export function mayListJob(policy: Policy, caller: Caller, callerTeam: string | undefined, target: ActionTarget): boolean {
  return policy.access.some(grant =>
    grant.actions.has('list') &&
    matchesName(grant.projects, target.project) &&
    matchesName(grant.locations, target.location) &&
    teamAllowed(grant, callerTeam, 'get', target.team) &&
    callerMatches(grant.callers, caller, callerTeam));
}

/** The violation of the built-in `access` rule, or undefined when a grant allows the call. */
export function accessViolation(
  policy: Policy,
  caller: Caller,
  callerTeam: string | undefined,
  action: GateAction,
  target: ActionTarget,
): Violation | undefined {
  if (policy.access.some(grant => grantAllows(grant, caller, callerTeam, action, target))) return undefined;
  const teamPart = target.team === undefined ? '' : ` for team ${target.team}`;
  return {
    rule: ACCESS_RULE,
    mode: 'enforce',
    field: 'caller',
    actual: typeof caller.email === 'string' ? caller.email : null,
    limit: {action, project: target.project, location: target.location, ...(target.team === undefined ? {} : {team: target.team})},
    message: `${String(caller.email)} may not ${action} NAS jobs in ${target.project}/${target.location}${teamPart}`,
  };
}

function grantAllows(grant: Grant, caller: Caller, callerTeam: string | undefined, action: GateAction, target: ActionTarget): boolean {
  return (
    grant.actions.has(action) &&
    matchesName(grant.projects, target.project) &&
    matchesName(grant.locations, target.location) &&
    teamAllowed(grant, callerTeam, action, target.team) &&
    callerMatches(grant.callers, caller, callerTeam)
  );
}

// The parsed names keep the `$own` marker as written; it names no team (a label value has no `$`).
function namesATeam(grant: Grant): boolean {
  return [...grant.teams.names].some(name => name !== '$own');
}

// `list` as a whole has no job team to check (it may list if some team's jobs are open to the
// caller there); every listed job is then checked with its team (mayListJob); every other action
// names one job.
function teamAllowed(grant: Grant, callerTeam: string | undefined, action: GateAction, jobTeam: string | undefined): boolean {
  if (grant.teams.any) return true;
  if (action === 'list' && jobTeam === undefined) return namesATeam(grant) || (grant.teams.own && callerTeam !== undefined);
  if (jobTeam === undefined) return false;
  return grant.teams.names.has(jobTeam) || (grant.teams.own && jobTeam === callerTeam);
}
