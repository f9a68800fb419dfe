// Builders for the enforce core's tests: runtime policies through the real parser, and job facts.
import type {JobFacts} from '../../../../shared/core/enforce/index.js';
import type {RuntimePolicy} from '../../../../shared/core/policy/policy.js';
import {policyOf} from '../policy/support.js';

/** A fixed instant the tests count from, and an hour. */
export const T0 = Date.parse('2026-03-02T08:00:00Z');
export const H = 3_600_000;

export const JOB = 'projects/123456789012/locations/us-central1/nasJobs/4417291937424343040';

/** The runtime section of a policy file, compiled by parsePolicy. */
export function runtimeOf(section: Record<string, unknown>): RuntimePolicy {
  return policyOf({runtime: section}).runtime;
}

/** A runtime policy with these rules and nothing else set. */
export function rulesOf(...rules: Record<string, unknown>[]): RuntimePolicy {
  return runtimeOf({rules});
}

/** Overrides of job facts; `undefined` removes an optional fact (e.g. a missing startTime). */
export type FactsOverrides = {[K in keyof JobFacts]?: JobFacts[K] | undefined};

/** A RUNNING job of nas-prod (project number 123456789012), started at T0 with 100 search trials, 5 in parallel. */
export function aJobFacts(overrides: FactsOverrides = {}): JobFacts {
  const facts = {
    name: JOB,
    projects: ['nas-prod', '123456789012'],
    location: 'us-central1',
    state: 'JOB_STATE_RUNNING',
    deleted: false,
    labels: {team: 'vision'},
    createMs: T0 - H,
    startMs: T0,
    search: {maxTrialCount: 100, maxParallelTrialCount: 5, maxFailedTrialCount: 20, finished: 0, failed: 0, durations: []},
    problems: [],
    ...overrides,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as unknown as JobFacts;
}
