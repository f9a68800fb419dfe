import {matchesName} from './name-matcher.js';
import type {CallerMatcher, Policy, Scope} from './policy.js';
import type {Caller} from './verdict.js';

/** The lowercase email and its domain; the domain is what follows the last `@`. */
export function identityOf(caller: Caller): {email: string; domain: string} {
  const email = typeof caller.email === 'string' ? caller.email.trim().toLowerCase() : '';
  const at = email.lastIndexOf('@');
  return {email, domain: at < 0 ? '' : email.slice(at + 1)};
}

/**
 * The caller's team: a team listing the caller's email (directly or through a group) wins over one
 * listing the caller's domain; among equals the first team in the file wins.
 */
export function resolveTeam(policy: Policy, caller: Caller): string | undefined {
  const {email, domain} = identityOf(caller);
  if (email === '') return undefined;
  return policy.teamByEmail.get(email) ?? policy.teamByDomain.get(domain);
}

/** True when the matcher covers the caller (by email, domain, expanded group, or resolved team). */
export function callerMatches(matcher: CallerMatcher, caller: Caller, callerTeam: string | undefined): boolean {
  const {email, domain} = identityOf(caller);
  if (email === '') return false;
  if (matcher.emails.has(email) || matcher.domains.has(domain)) return true;
  if (callerTeam === undefined) return false;
  return matcher.teams === '*' || matcher.teams.has(callerTeam);
}

/** True when a rule's `appliesTo` covers this project, location and job team. */
export function inScope(scope: Scope, project: string, location: string, jobTeam: string | undefined): boolean {
  if (!matchesName(scope.projects, project) || !matchesName(scope.locations, location)) return false;
  return scope.teams === undefined || (jobTeam !== undefined && scope.teams.has(jobTeam));
}
