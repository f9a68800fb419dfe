import {describe, expect, it} from 'vitest';
import {policyOf, problemLines} from './support.js';

// One mistake per row, each in a different place of the schema; the row names the exact report.
describe('parsePolicy: each section reports its own mistakes', () => {
  const rule = (fields: Record<string, unknown>) => ({name: 'r', ...fields});

  it.each<[string, Record<string, unknown>, string]>([
    ['a group with groups', {groups: {a: {groups: []}}}, 'groups.a.groups: unknown key; expected one of: emails, domains'],
    ['a bad domain', {groups: {a: {domains: ['not a domain']}}}, 'groups.a.domains[0]: "not a domain" is not a domain like example.com'],
    ['an email in two teams', {teams: {a: {emails: ['x@e.com']}, b: {emails: ['X@e.com']}}}, 'teams.b.emails[0]: x@e.com is already a member of team "a"'],
    ['a grant without callers', {access: [{name: 'g', actions: ['get']}]}, 'access[0].callers: required'],
    ['a grant with empty callers', {access: [{name: 'g', callers: {}, actions: ['get']}]}, 'access[0].callers: matches no caller: give emails, domains, groups or teams'],
    ['a grant on an undefined team', {access: [{name: 'g', callers: {emails: ['a@b.com']}, actions: ['get'], teams: ['robots']}]}, 'access[0].teams[0]: no team named "robots" is defined in teams'],
    ['a bad project entry', {access: [{name: 'g', callers: {emails: ['a@b.com']}, actions: ['get'], projects: ['a b']}]}, 'access[0].projects[0]: "a b" is not a name, "prefix*" or "*"'],
    ['an empty action list', {access: [{name: 'g', callers: {emails: ['a@b.com']}, actions: []}]}, 'access[0].actions: must not be empty'],
    ['the reserved rule name', {mutations: [{name: 'access', kind: 'team-label'}]}, 'mutations[0].name: "access" is reserved for the built-in access check'],
    ['a rule name with capitals', {mutations: [{name: 'Team', kind: 'team-label'}]}, 'mutations[0].name: "Team" is not a rule name (lowercase letters, digits, "-")'],
    ['a rule without kind', {mutations: [{name: 'm'}]}, 'mutations[0].kind: required; one of label, team-label, default-trial-timeout'],
    ['a label mutation on team', {mutations: [rule({kind: 'label', key: 'team', value: 'x'})]}, 'mutations[0].key: use kind team-label to set the "team" label'],
    ['a label value with capitals', {mutations: [rule({kind: 'label', key: 'k', value: 'X'})]}, 'mutations[0].value: "X" is not a label value'],
    ['a bad stage', {mutations: [rule({kind: 'default-trial-timeout', timeout: '1h', stages: ['eval']})]}, 'mutations[0].stages[0]: expected one of search, train, got "eval"'],
    ['a zero duration', {mutations: [rule({kind: 'default-trial-timeout', timeout: '0s'})]}, 'mutations[0].timeout: "0s" is not a positive duration like 90m, 36h, 7d or 3600s'],
    ['an unknown scope key', {mutations: [rule({kind: 'team-label', appliesTo: {project: ['p']}})]}, 'mutations[0].appliesTo.project: unknown key; expected one of: projects, locations, teams'],
    ['a scope on an undefined team', {mutations: [rule({kind: 'team-label', appliesTo: {teams: ['x']}})]}, 'mutations[0].appliesTo.teams[0]: no team named "x" is defined in teams'],
    ['regions without allowed', {submissionRules: [rule({kind: 'regions'})]}, 'submissionRules[0].allowed: required'],
    ['an accelerator name in lowercase', {submissionRules: [rule({kind: 'accelerators', allowed: ['t4']})]}, 'submissionRules[0].allowed[0]: "t4" is not an AcceleratorType name like NVIDIA_TESLA_T4'],
    ['a fractional limit', {submissionRules: [rule({kind: 'accelerators', maxPerWorker: 1.5})]}, 'submissionRules[0].maxPerWorker: expected an integer, got 1.5'],
    ['an empty trial-counts', {submissionRules: [rule({kind: 'trial-counts'})]}, 'submissionRules[0]: give at least one of: search, train'],
    ['a train maxTrialCount (train has none)', {submissionRules: [rule({kind: 'trial-counts', train: {maxTrialCount: 3}})]}, 'submissionRules[0].train.maxTrialCount: unknown key; expected one of: maxParallelTrialCount, minFrequency'],
    ['a zero minFrequency', {submissionRules: [rule({kind: 'trial-counts', train: {minFrequency: 0}})]}, 'submissionRules[0].train.minFrequency: must be between 1 and 2147483647, got 0'],
    ['a lookahead', {submissionRules: [rule({kind: 'display-name', pattern: '(?=a)a'})]}, 'submissionRules[0].pattern: lookahead and lookbehind are not allowed'],
    ['a backreference', {submissionRules: [rule({kind: 'display-name', pattern: '(a)\\1'})]}, 'submissionRules[0].pattern: backreferences are not allowed'],
    ['an overlong pattern', {submissionRules: [rule({kind: 'display-name', pattern: 'a'.repeat(257)})]}, 'submissionRules[0].pattern: pattern longer than 256 characters'],
    ['a pattern for a bad label key', {submissionRules: [rule({kind: 'labels', patterns: {'Bad Key': 'x'}})]}, 'submissionRules[0].patterns["Bad Key"]: "Bad Key" is not a label key'],
    ['cmek required as a string', {submissionRules: [rule({kind: 'cmek', required: 'true'})]}, 'submissionRules[0].required: expected true or false, got a string'],
    ['an empty trial-timeout', {submissionRules: [rule({kind: 'trial-timeout'})]}, 'submissionRules[0]: give at least one of: required, max'],
    ['perTeam on an undefined team', {submissionRules: [rule({kind: 'team-concurrency', maxActiveJobs: 1, perTeam: {robots: 2}})]}, 'submissionRules[0].perTeam.robots[0]: no team named "robots" is defined in teams'],
    ['hours as a string', {submissionRules: [rule({kind: 'accelerator-hours', maxPerJob: '100'})]}, 'submissionRules[0].maxPerJob: expected an integer, got a string'],
    ['ownership without allow', {actionRules: [rule({kind: 'ownership'})]}, 'actionRules[0].allow: required'],
    ['an unknown relation', {actionRules: [rule({kind: 'ownership', allow: [{jobs: 'mine'}]})]}, 'actionRules[0].allow[0].jobs: expected one of own, team, any, got "mine"'],
    ['an action rule on create', {actionRules: [rule({kind: 'protected-label', key: 'p', actions: ['create']})]}, 'actionRules[0].actions[0]: expected one of cancel, delete, got "create"'],
    ['an exempt matcher with a typo', {actionRules: [rule({kind: 'terminal-only', exempt: {group: ['admins']}})]}, 'actionRules[0].exempt.group: unknown key; expected one of: emails, domains, groups, teams'],
    ['notifications as a string', {notifications: 'slack'}, 'notifications: expected a mapping, got a string'],
  ])('%s', (_, document, expected) => {
    expect(problemLines(document)).toEqual([expected]);
  });

  it('names the first definition when a rule name repeats across sections', () => {
    const lines = problemLines({mutations: [{name: 'dup', kind: 'team-label'}], actionRules: [{name: 'dup', kind: 'terminal-only'}]});

    expect(lines).toEqual(['actionRules[0].name: duplicate rule name "dup" (first defined at mutations[0].name)']);
  });

  it('still checks a rule name when its kind is unknown, so duplicates are not missed', () => {
    const lines = problemLines({submissionRules: [{name: 'everyone', kind: 'nope'}]});

    expect(lines).toEqual([
      'submissionRules[0].kind: expected one of regions, machine-types, accelerators, trial-counts, labels, cmek, display-name, trial-timeout, team-concurrency, accelerator-hours, got "nope"',
      'submissionRules[0].name: duplicate rule name "everyone" (first defined at access[0].name)',
    ]);
  });

  it('compiles the runtime section (test/unit/core/enforce/parse-runtime-rules.test.ts has the details)', () => {
    const policy = policyOf({runtime: {rules: [{name: 'run', kind: 'max-run-time', limit: '3d'}]}});

    expect(policy.runtime.rules.map(rule => [rule.name, rule.kind])).toEqual([['run', 'max-run-time']]);
  });

  it('defaults a rule to enforce mode and to every project, location and team', () => {
    const policy = policyOf({submissionRules: [{name: 'r', kind: 'regions', allowed: ['us-central1']}]});

    expect(policy.submissionRules[0]).toMatchObject({mode: 'enforce', scope: {projects: {any: true}, locations: {any: true}}});
    expect(policy.submissionRules[0]!.scope.teams).toBeUndefined();
  });
});
