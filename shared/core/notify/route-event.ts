import {matchesName} from '../policy/name-matcher.js';
import {TEAM_CHANNELS, type NotificationPolicy, type RouteMatch} from '../policy/notification-policy.js';
import {TEAM_LABEL} from '../policy/policy.js';
import {isTerminalJobState, JOB_STATES, type JobState} from '../vertex/index.js';
import type {JobFacts} from './job-facts.js';
import type {NotifyEvent} from './notify-event.js';

/** Where one event goes, and which rules said so (for the log line). */
export interface RouteDecision {
  /** Channel names, each once, in the order the rules named them. */
  readonly channels: readonly string[];
  /** Route names, or `default:…` when the built-in defaults decided. */
  readonly rules: readonly string[];
}

/**
 * Routes one event: every route whose conditions all hold sends it to its channels; when none
 * matched and defaults are on, the built-in default applies (terminal states, enforcement actions
 * and best-metric improvements go to the team's channels; nothing else is sent).
 */
export function routeEvent(policy: NotificationPolicy, event: NotifyEvent, job: JobFacts): RouteDecision {
  const matched = policy.routes.filter(route => routeMatches(route.match, event, job));
  if (matched.length > 0) {
    return {channels: unique(matched.flatMap(route => route.to.flatMap(ref => resolve(policy, ref, job)))), rules: matched.map(route => route.name)};
  }
  const reason = policy.defaults ? defaultReason(event) : undefined;
  if (!reason) return {channels: [], rules: []};
  return {channels: resolve(policy, TEAM_CHANNELS, job), rules: [`default:${reason}`]};
}

/** True when every condition of `match` holds for the event. */
export function routeMatches(match: RouteMatch, event: NotifyEvent, job: JobFacts): boolean {
  if (match.projects && !matchesName(match.projects, job.project) && !matchesName(match.projects, job.projectInName)) return false;
  if (match.locations && !matchesName(match.locations, job.location)) return false;
  if (match.events && !match.events.has(event.kind)) return false;
  if (match.states && !match.states.has(event.state)) return false;
  for (const [key, wanted] of match.labels ?? []) {
    const value = job.labels[key];
    if (value === undefined || (!wanted.any && !wanted.values.has(value))) return false;
  }
  return true;
}

/** Why the built-in default notifies this event, or undefined when it does not. */
export function defaultReason(event: NotifyEvent): string | undefined {
  if (event.kind === 'stateChanged' && isTerminalStateName(event.state)) return 'terminal-state';
  if (event.kind === 'enforcement') return 'enforcement';
  if (event.kind === 'bestImproved') return 'best-improved';
  return undefined;
}

/** True for a known terminal job state name (SUCCEEDED, FAILED, CANCELLED, PAUSED, EXPIRED, PARTIALLY_SUCCEEDED). */
export function isTerminalStateName(state: string): boolean {
  return (JOB_STATES as readonly string[]).includes(state) && isTerminalJobState(state as JobState);
}

function resolve(policy: NotificationPolicy, ref: string, job: JobFacts): readonly string[] {
  if (ref !== TEAM_CHANNELS) return [ref];
  const team = job.labels[TEAM_LABEL];
  const own = team === undefined ? undefined : policy.teamChannels.get(team);
  return own && own.length > 0 ? own : policy.fallback;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
