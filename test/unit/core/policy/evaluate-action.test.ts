import {describe, expect, it} from 'vitest';
import {evaluateAction} from '../../../../shared/core/policy/index.js';
import {actionFacts, examplePolicy, policyOf, type ActionOverrides} from './support.js';

describe('evaluateAction (the example policy)', () => {
  const policy = examplePolicy();
  const running = {jobState: 'JOB_STATE_RUNNING'};

  it.each<[string, ActionOverrides, string[]]>([
    ['bob deletes his finished job', {}, []],
    ['bob cancels his running job', {action: 'cancel', ...running}, []],
    ['carol cancels a teammate\'s job', {action: 'cancel', caller: {email: 'carol@example.com'}, ...running}, []],
    ['a domain member of vision deletes a vision job nobody recorded', {caller: {email: 'zoe@vision.example.com'}, createdBy: undefined}, []],
    ['bob deletes his running job', running, ['delete-finished-only']],
    ['bob deletes a job in an unknown state', {jobState: 'JOB_STATE_SOMETHING_NEW'}, ['delete-finished-only']],
    ['bob deletes his protected job', {jobLabels: {team: 'vision', protected: 'true'}}, ['protected-jobs']],
    ['bob deletes a job with protected=false', {jobLabels: {team: 'vision', protected: 'false'}}, []],
    ['bob cancels a protected job (protection is for delete)', {action: 'cancel', jobLabels: {team: 'vision', protected: 'true'}, ...running}, []],
    ['alice (admin) deletes a running protected nlp job', {caller: {email: 'alice@example.com'}, jobLabels: {team: 'nlp', protected: 'true'}, ...running}, []],
    ['alice deletes a job without labels', {caller: {email: 'alice@example.com'}, jobLabels: {}}, []],
  ])('%s → %j', (_, overrides, rules) => {
    const verdict = evaluateAction(policy, actionFacts(overrides));

    expect(verdict.violations.map(v => v.rule)).toEqual(rules);
    expect(verdict.allowed).toBe(rules.length === 0);
  });

  it('denies at the access check when the job belongs to another team', () => {
    const verdict = evaluateAction(policy, actionFacts({caller: {email: 'dave@example.com'}}));

    expect(verdict.violations.map(v => v.rule)).toEqual(['access']);
    expect(verdict.team).toBe('nlp');
  });
});

describe('ownership', () => {
  const ownership = (allow: unknown[]) => policyOf({actionRules: [{name: 'whose', kind: 'ownership', allow}]});

  it.each<[string, unknown[], ActionOverrides, boolean]>([
    ['own: the creator', [{jobs: 'own'}], {}, true],
    ['own: the creator, email case aside', [{jobs: 'own'}], {createdBy: 'Bob@Example.com'}, true],
    ['own: someone else', [{jobs: 'own'}], {createdBy: 'carol@example.com'}, false],
    ['own: creator unknown', [{jobs: 'own'}], {createdBy: undefined}, false],
    ['team: same team', [{jobs: 'team'}], {createdBy: 'x@example.com'}, true],
    ['team: other team', [{jobs: 'team'}], {createdBy: 'x@example.com', jobLabels: {team: 'nlp'}}, false],
    ['team: a job without a team', [{jobs: 'team'}], {createdBy: 'x@example.com', jobLabels: {}}, false],
    ['team: a caller without a team', [{jobs: 'team'}], {caller: {email: 'root@example.com'}, createdBy: 'x@example.com', jobLabels: {}}, false],
    ['any: for the named callers', [{jobs: 'any', callers: {groups: ['admins']}}], {caller: {email: 'root@example.com'}, createdBy: 'x@example.com'}, true],
    ['any: not for others', [{jobs: 'any', callers: {groups: ['admins']}}], {createdBy: 'x@example.com'}, false],
  ])('%s', (_, allow, facts, allowed) => {
    expect(evaluateAction(ownership(allow), actionFacts(facts)).allowed).toBe(allowed);
  });

  it('says which jobs the caller may act on', () => {
    const verdict = evaluateAction(ownership([{jobs: 'own'}, {jobs: 'team'}]), actionFacts({createdBy: 'x@example.com', jobLabels: {team: 'nlp'}}));

    expect(verdict.violations).toEqual([{
      rule: 'whose', mode: 'enforce', field: 'createdBy', actual: {createdBy: 'x@example.com', team: 'nlp'}, limit: ['own', 'team'],
      message: "bob@example.com may delete only jobs they created or their team's jobs",
    }]);
  });
});

describe('action rule options', () => {
  it('applies each rule to its actions only', () => {
    const policy = policyOf({actionRules: [{name: 'p', kind: 'protected-label', key: 'keep', actions: ['cancel']}]});

    expect(evaluateAction(policy, actionFacts({jobLabels: {keep: ''}})).allowed).toBe(true);
    expect(evaluateAction(policy, actionFacts({action: 'cancel', jobLabels: {keep: ''}})).allowed).toBe(false);
  });

  it('protects on any value when the rule names no value', () => {
    const policy = policyOf({actionRules: [{name: 'p', kind: 'protected-label', key: 'keep'}]});

    expect(evaluateAction(policy, actionFacts({jobLabels: {keep: 'no'}})).violations.map(v => v.field)).toEqual(['labels.keep']);
  });

  it('lets a warn-mode rule through with a warning', () => {
    const policy = policyOf({actionRules: [{name: 'finished', kind: 'terminal-only', mode: 'warn'}]});

    const verdict = evaluateAction(policy, actionFacts({jobState: 'JOB_STATE_PENDING'}));

    expect(verdict.allowed).toBe(true);
    expect(verdict.warnings).toEqual([expect.stringMatching(/^finished: the job is JOB_STATE_PENDING/)]);
  });

  it('skips a rule outside its appliesTo', () => {
    const policy = policyOf({actionRules: [{name: 'finished', kind: 'terminal-only', appliesTo: {projects: ['nas-dev']}}]});

    expect(evaluateAction(policy, actionFacts({jobState: 'JOB_STATE_RUNNING'})).allowed).toBe(true);
  });

  it.each(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PAUSED', 'JOB_STATE_PARTIALLY_SUCCEEDED'])(
    'counts %s as terminal', jobState => {
      const policy = policyOf({actionRules: [{name: 'finished', kind: 'terminal-only'}]});

      expect(evaluateAction(policy, actionFacts({jobState})).allowed).toBe(true);
    });

  it.each(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING', 'JOB_STATE_UNSPECIFIED'])(
    'refuses to delete a job in %s', jobState => {
      const policy = policyOf({actionRules: [{name: 'finished', kind: 'terminal-only'}]});

      expect(evaluateAction(policy, actionFacts({jobState})).allowed).toBe(false);
    });
});
