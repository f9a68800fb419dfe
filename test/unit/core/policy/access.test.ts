import {describe, expect, it} from 'vitest';
import {authorize, mayActIn, mayListJob, resolveTeam, type GateAction} from '../../../../shared/core/policy/index.js';
import {examplePolicy, policyOf} from './support.js';

describe('resolveTeam', () => {
  const policy = policyOf({
    groups: {leads: {emails: ['lead@corp.com'], domains: ['leads.corp.com']}},
    teams: {
      vision: {emails: ['bob@corp.com'], domains: ['corp.com']},
      nlp: {emails: ['Dave@Corp.com'], groups: ['leads']},
    },
    access: [],
  });

  it.each([
    ['a listed email', 'bob@corp.com', 'vision'],
    ['an email in any case', 'DAVE@corp.com', 'nlp'],
    ['an email through a group', 'lead@corp.com', 'nlp'],
    ['a domain through a group', 'x@leads.corp.com', 'nlp'],
    ['a domain', 'eve@corp.com', 'vision'],
    ['an email, which beats a domain listed by an earlier team', 'dave@corp.com', 'nlp'],
    ['no match: subdomains are not included', 'eve@sub.corp.com', undefined],
    ['no match', 'mallory@evil.com', undefined],
    ['an empty email', '', undefined],
    ['a domain-like string without @', 'corp.com', undefined],
  ])('resolves %s', (_, email, team) => {
    expect(resolveTeam(policy, {email})).toBe(team);
  });

  it('prefers the first team in the file when two list the same domain', () => {
    const twice = policyOf({teams: {a: {domains: ['corp.com']}, b: {domains: ['corp.com']}}, access: []});

    expect(resolveTeam(twice, {email: 'x@corp.com'})).toBe('a');
  });
});

describe('authorize (the example policy)', () => {
  const policy = examplePolicy();
  const prod = {project: 'nas-prod', location: 'us-central1'};

  it.each<[string, string, GateAction, {project: string; location: string; team?: string}, boolean]>([
    ['an admin, anything anywhere', 'alice@example.com', 'delete', {project: 'other', location: 'asia-east1', team: 'nlp'}, true],
    ['a team member on their own team', 'bob@example.com', 'create', {...prod, team: 'vision'}, true],
    ['a team member through a domain', 'zoe@vision.example.com', 'cancel', {...prod, team: 'vision'}, true],
    ['a team member in a prefix* project', 'bob@example.com', 'get', {project: 'nas-dev-7', location: 'europe-west4', team: 'vision'}, true],
    ['a team member listing (no single team to check)', 'bob@example.com', 'list', prod, true],
    ['a team member on another team', 'bob@example.com', 'cancel', {...prod, team: 'nlp'}, false],
    ['a team member on a job without a team', 'bob@example.com', 'get', prod, false],
    ['a team member in another project', 'bob@example.com', 'create', {project: 'finance', location: 'us-central1', team: 'vision'}, false],
    ['a team member in another region', 'bob@example.com', 'create', {project: 'nas-prod', location: 'asia-east1', team: 'vision'}, false],
    ['a pipeline creating for a named team', 'trainer@ml-pipelines.iam.gserviceaccount.com', 'create', {...prod, team: 'nlp'}, true],
    ['a pipeline deleting', 'trainer@ml-pipelines.iam.gserviceaccount.com', 'delete', {...prod, team: 'nlp'}, false],
    ['a pipeline for a team not granted', 'trainer@ml-pipelines.iam.gserviceaccount.com', 'create', {...prod, team: 'platform'}, false],
    ['a stranger', 'mallory@evil.com', 'list', prod, false],
  ])('%s → %s', (_, email, action, target, allowed) => {
    const verdict = authorize(policy, {email}, action, target);

    expect(verdict.allowed).toBe(allowed);
    expect(verdict.violations.map(v => v.rule)).toEqual(allowed ? [] : ['access']);
  });

  it.each([
    ['their own team', 'bob@example.com', 'vision', true],
    ['another team', 'bob@example.com', 'nlp', false],
    ['no team label', 'bob@example.com', undefined, false],
    ['any team, as an admin', 'alice@example.com', 'nlp', true],
    ['no team label, as an admin', 'alice@example.com', undefined, true],
  ])('lets a lister see a job of %s (%s): %s', (_, email, team, visible) => {
    const caller = {email};
    const callerTeam = authorize(policy, caller, 'list', prod).team;
    expect(mayListJob(policy, caller, callerTeam, {...prod, ...(team ? {team} : {})})).toBe(visible);
  });

  it('reports the denied call as an enforce violation of the built-in access rule', () => {
    const verdict = authorize(policy, {email: 'bob@example.com'}, 'cancel', {...prod, team: 'nlp'});

    expect(verdict).toEqual({
      allowed: false,
      violations: [{
        rule: 'access', mode: 'enforce', field: 'caller', actual: 'bob@example.com',
        limit: {action: 'cancel', project: 'nas-prod', location: 'us-central1', team: 'nlp'},
        message: 'bob@example.com may not cancel NAS jobs in nas-prod/us-central1 for team nlp',
      }],
      warnings: [],
      mutations: [],
      team: 'vision',
    });
  });

  it('denies everything with an empty access section', () => {
    expect(authorize(policyOf({access: []}), {email: 'bob@example.com'}, 'get', prod).allowed).toBe(false);
  });
});

describe('mayActIn (the example policy)', () => {
  const policy = examplePolicy();

  it.each<[string, string, GateAction, string, boolean]>([
    ['an admin, anywhere', 'alice@example.com', 'delete', 'finance', true],
    ['a team member in a project of their grant (some job of their team may be there)', 'bob@example.com', 'cancel', 'nas-dev-7', true],
    ['a team member in another project', 'bob@example.com', 'cancel', 'finance', false],
    ['a pipeline, which may not cancel at all', 'trainer@ml-pipelines.iam.gserviceaccount.com', 'cancel', 'nas-prod', false],
    ['a pipeline creating for its named teams', 'trainer@ml-pipelines.iam.gserviceaccount.com', 'create', 'nas-prod', true],
    ['a stranger', 'mallory@evil.com', 'delete', 'nas-prod', false],
  ])('%s → %s', (_, email, action, project, allowed) => {
    expect(mayActIn(policy, {email}, action, {project, location: 'us-central1'})).toBe(allowed);
  });

  it('is false for a team-scoped grant when the caller has no team', () => {
    const own = policyOf({access: [{name: 'own', callers: {domains: ['example.com']}, actions: ['cancel'], teams: ['$own']}]});

    expect(mayActIn(own, {email: 'nobody@example.com'}, 'cancel', {project: 'p-proj', location: 'us-central1'})).toBe(false);
    expect(mayActIn(own, {email: 'bob@example.com'}, 'cancel', {project: 'p-proj', location: 'us-central1'})).toBe(true);
  });
});
