import {projectAcceleratorHoursByStage} from './accelerator-hours.js';
import {applyMutations} from './apply-mutations.js';
import {assembleVerdict, deniedVerdict} from './assemble-verdict.js';
import {accessViolation} from './authorize.js';
import {checkSubmissionRule} from './check-submission.js';
import {teamLabelOf} from './job-view.js';
import type {Policy} from './policy.js';
import {inScope, resolveTeam} from './resolve-team.js';
import type {CreateFacts, TeamLimit, Verdict, Violation} from './verdict.js';

/**
 * Whether some team-concurrency rule applies to a job of `jobTeam` here: only then does a create
 * need the team's count of active jobs (and, when such a rule is enforced, an atomic reservation).
 */
export function countsTeamJobs(policy: Policy, project: string, location: string, jobTeam: string): boolean {
  return policy.submissionRules.some(rule => rule.kind === 'team-concurrency' && inScope(rule.scope, project, location, jobTeam));
}

/**
 * Decides a create, in this order: resolve the caller's team; apply the mutations (file order);
 * check access with the mutated job's team; then run every submission rule in scope on the mutated
 * job. A denied access check stops there, so a caller without access learns nothing of the rules.
 */
export function evaluateCreate(policy: Policy, facts: CreateFacts): Verdict {
  const callerTeam = resolveTeam(policy, facts.caller);
  const {project, location} = facts;
  const mutated = applyMutations(policy, facts.job, {project, location, callerTeam});
  const jobTeam = teamLabelOf(mutated.job);
  const denied = accessViolation(policy, facts.caller, callerTeam, 'create', {project, location, ...(jobTeam === undefined ? {} : {team: jobTeam})});
  if (denied) return deniedVerdict(denied, callerTeam);

  const hours = projectAcceleratorHoursByStage(mutated.job);
  const violations: Violation[] = [...mutated.audits];
  let teamLimit: TeamLimit | undefined;
  const submissionFacts = {location, job: mutated.job, jobTeam, activeJobsByTeam: facts.activeJobsByTeam, hours};
  for (const rule of policy.submissionRules) {
    if (!inScope(rule.scope, project, location, jobTeam)) continue;
    for (const finding of checkSubmissionRule(rule, submissionFacts)) violations.push({rule: rule.name, mode: rule.mode, ...finding});
    if (rule.kind === 'team-concurrency' && rule.mode === 'enforce' && jobTeam !== undefined) {
      const max = rule.perTeam.get(jobTeam) ?? rule.maxActiveJobs;
      if (!teamLimit || max < teamLimit.maxActiveJobs) teamLimit = {team: jobTeam, maxActiveJobs: max, rule: rule.name};
    }
  }
  return assembleVerdict(
    {violations, notes: mutated.warnings, mutations: mutated.mutations, team: callerTeam},
    {
      job: mutated.job,
      // NaN (a malformed count) is not a number a client can use; the accelerator-hours rule reports it.
      ...(Number.isFinite(hours.total) ? {projectedAcceleratorHours: hours.total} : {}),
      ...(teamLimit ? {teamLimit} : {}),
    },
  );
}
