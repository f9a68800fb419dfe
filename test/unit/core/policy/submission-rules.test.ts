import {describe, expect, it} from 'vitest';
import {countsTeamJobs, evaluateCreate, type CreateFacts} from '../../../../shared/core/policy/index.js';
import {aNasJobDraft} from '../../../factories.js';
import {createFacts, draftWith, policyOf, searchMachine} from './support.js';

const POOL0 = 'nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[0]';
const SEARCH = 'nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec';

// Each row: one rule, the facts, and the fields it flags ([] = allowed). Every rule has a row that
// allows and a row that denies.
describe('submission rules, one by one', () => {
  it.each<[string, Record<string, unknown>, Partial<CreateFacts>, string[]]>([
    ['regions: allowed', {kind: 'regions', allowed: ['us-central1']}, {}, []],
    ['regions: prefix*', {kind: 'regions', allowed: ['us-*']}, {location: 'us-east4'}, []],
    ['regions: denied', {kind: 'regions', allowed: ['europe-west4']}, {}, ['location']],
    ['machine-types: allowed', {kind: 'machine-types', allowed: ['n1-standard-8']}, {}, []],
    ['machine-types: denied', {kind: 'machine-types', allowed: ['n1-standard-4']}, {}, [`${POOL0}.machineSpec.machineType`]],
    ['machine-types: missing machineType', {kind: 'machine-types', allowed: ['*']}, {job: draftWith(j => delete searchMachine(j).machineType)}, [`${POOL0}.machineSpec.machineType`]],
    ['machine-types: an empty pool {} is skipped', {kind: 'machine-types', allowed: ['n1-standard-8']},
      {job: draftWith(j => j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs.push({}))}, []],
    ['accelerators: allowed type', {kind: 'accelerators', allowed: ['NVIDIA_TESLA_T4']}, {}, []],
    ['accelerators: denied type', {kind: 'accelerators', allowed: ['NVIDIA_L4']}, {}, [`${POOL0}.machineSpec.acceleratorType`]],
    ['accelerators: a numeric enum is read by name', {kind: 'accelerators', allowed: ['NVIDIA_TESLA_T4']}, {job: draftWith(j => { searchMachine(j).acceleratorType = 5; })}, []],
    ['accelerators: CPU-only pools pass', {kind: 'accelerators', allowed: []}, {job: draftWith(j => { delete searchMachine(j).acceleratorType; })}, []],
    ['accelerators: count within max', {kind: 'accelerators', maxPerWorker: 1}, {}, []],
    ['accelerators: count over max', {kind: 'accelerators', maxPerWorker: 4}, {job: draftWith(j => { searchMachine(j).acceleratorCount = 8; })}, [`${POOL0}.machineSpec.acceleratorCount`]],
    ['accelerators: a count that is not a number fails', {kind: 'accelerators', maxPerWorker: 4}, {job: draftWith(j => { searchMachine(j).acceleratorCount = 'many'; })}, [`${POOL0}.machineSpec.acceleratorCount`]],
    ['trial-counts: within', {kind: 'trial-counts', search: {maxTrialCount: 20, maxParallelTrialCount: 4}}, {}, []],
    ['trial-counts: over', {kind: 'trial-counts', search: {maxTrialCount: 10, maxParallelTrialCount: 2}}, {}, [`${SEARCH}.maxTrialCount`, `${SEARCH}.maxParallelTrialCount`]],
    ['trial-counts: failed trials over', {kind: 'trial-counts', search: {maxFailedTrialCount: 5}}, {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.maxFailedTrialCount = 6; })}, [`${SEARCH}.maxFailedTrialCount`]],
    ['trial-counts: no train stage, train limits pass', {kind: 'trial-counts', train: {maxParallelTrialCount: 1, minFrequency: 100}}, {}, []],
    ['trial-counts: train over and too frequent', {kind: 'trial-counts', train: {maxParallelTrialCount: 1, minFrequency: 100}},
      {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.trainTrialSpec = {maxParallelTrialCount: 2, frequency: 10}; })},
      ['nasJobSpec.multiTrialAlgorithmSpec.trainTrialSpec.maxParallelTrialCount', 'nasJobSpec.multiTrialAlgorithmSpec.trainTrialSpec.frequency']],
    ['labels: present and matching', {kind: 'labels', required: ['team'], patterns: {team: 'vision|nlp'}}, {}, []],
    ['labels: missing', {kind: 'labels', required: ['team', 'cost-center']}, {}, ['labels.cost-center']],
    ['labels: not matching', {kind: 'labels', patterns: {team: 'nlp'}}, {}, ['labels.team']],
    ['labels: a pattern on an absent label is not checked', {kind: 'labels', patterns: {env: 'prod'}}, {}, []],
    ['cmek: key present', {kind: 'cmek'}, {job: aNasJobDraft({encryptionSpec: {kmsKeyName: 'projects/k/locations/us-central1/keyRings/r/cryptoKeys/c'}})}, []],
    ['cmek: key missing', {kind: 'cmek'}, {}, ['encryptionSpec.kmsKeyName']],
    ['cmek: key not matching', {kind: 'cmek', keyPattern: 'projects/kms/.*'}, {job: aNasJobDraft({encryptionSpec: {kmsKeyName: 'projects/other/x'}})}, ['encryptionSpec.kmsKeyName']],
    ['cmek: optional key absent', {kind: 'cmek', required: false, keyPattern: 'projects/kms/.*'}, {}, []],
    ['display-name: matching', {kind: 'display-name', pattern: '[a-z-]+'}, {}, []],
    ['display-name: longer than Vertex allows never matches', {kind: 'display-name', pattern: '.*'}, {job: aNasJobDraft({displayName: 'a'.repeat(129)})}, ['displayName']],
    ['display-name: not matching', {kind: 'display-name', pattern: '[a-z]+'}, {}, ['displayName']],
    ['trial-timeout: required and missing', {kind: 'trial-timeout', required: true}, {}, [`${SEARCH}.searchTrialJobSpec.scheduling.timeout`]],
    ['trial-timeout: within max', {kind: 'trial-timeout', max: '1d'}, {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.scheduling = {timeout: '86400s'}; })}, []],
    ['trial-timeout: over max', {kind: 'trial-timeout', max: '1d'}, {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.scheduling = {timeout: '86401s'}; })}, [`${SEARCH}.searchTrialJobSpec.scheduling.timeout`]],
    ['trial-timeout: not a duration', {kind: 'trial-timeout', max: '1d'}, {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.scheduling = {timeout: '1 day'}; })}, [`${SEARCH}.searchTrialJobSpec.scheduling.timeout`]],
    ['team-concurrency: under the limit', {kind: 'team-concurrency', maxActiveJobs: 3}, {activeJobsByTeam: {vision: 2}}, []],
    ['team-concurrency: at the limit', {kind: 'team-concurrency', maxActiveJobs: 3}, {activeJobsByTeam: {vision: 3, nlp: 0}}, ['labels.team']],
    ['team-concurrency: a per-team limit', {kind: 'team-concurrency', maxActiveJobs: 3, perTeam: {vision: 10}}, {activeJobsByTeam: {vision: 9}}, []],
    ['team-concurrency: other teams do not count', {kind: 'team-concurrency', maxActiveJobs: 1}, {activeJobsByTeam: {nlp: 5}}, []],
    ['team-concurrency: a job without a team is not counted', {kind: 'team-concurrency', maxActiveJobs: 0}, {job: aNasJobDraft({labels: {}}), caller: {email: 'root@example.com'}}, []],
    ['accelerator-hours: within', {kind: 'accelerator-hours', maxPerJob: 3360}, {}, []],
    ['accelerator-hours: over', {kind: 'accelerator-hours', maxPerJob: 3359}, {}, ['nasJobSpec.multiTrialAlgorithmSpec']],
    ['accelerator-hours: not computable fails closed', {kind: 'accelerator-hours', maxPerJob: 1e9}, {job: draftWith(j => { j.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.maxTrialCount = 'lots'; })}, ['nasJobSpec.multiTrialAlgorithmSpec']],
  ])('%s', (_, rule, facts, fields) => {
    const verdict = evaluateCreate(policyOf({submissionRules: [{name: 'rule', ...rule}]}), createFacts(facts));

    expect(verdict.violations.map(v => v.field)).toEqual(fields);
    expect(verdict.violations.every(v => v.rule === 'rule' && v.mode === 'enforce')).toBe(true);
    expect(verdict.allowed).toBe(fields.length === 0);
  });
});

describe('rule modes', () => {
  const regions = (mode: string) => ({submissionRules: [{name: 'eu-only', kind: 'regions', allowed: ['europe-west4'], mode}]});

  it.each([
    ['enforce', false, []],
    ['warn', true, ['eu-only: location us-central1 is not allowed (allowed: europe-west4)']],
    ['audit', true, []],
  ])('%s: allowed=%s, warnings as listed, the violation recorded either way', (mode, allowed, warnings) => {
    const verdict = evaluateCreate(policyOf(regions(mode)), createFacts());

    expect(verdict.allowed).toBe(allowed);
    expect(verdict.warnings).toEqual(warnings);
    expect(verdict.violations).toEqual([expect.objectContaining({rule: 'eu-only', mode, field: 'location', actual: 'us-central1', limit: ['europe-west4']})]);
  });

  it('lists enforce violations first, then warn, then audit', () => {
    const policy = policyOf({submissionRules: [
      {name: 'a', kind: 'display-name', pattern: 'x', mode: 'audit'},
      {name: 'w', kind: 'regions', allowed: ['eu'], mode: 'warn'},
      {name: 'e', kind: 'cmek'},
    ]});

    expect(evaluateCreate(policy, createFacts()).violations.map(v => v.rule)).toEqual(['e', 'w', 'a']);
  });
});

describe('appliesTo', () => {
  const scoped = (appliesTo: Record<string, unknown>) => policyOf({submissionRules: [{name: 'cmek', kind: 'cmek', appliesTo}]});

  it.each([
    ['a matching project', {projects: ['nas-prod']}, 1],
    ['another project', {projects: ['nas-dev']}, 0],
    ['a matching location', {locations: ['us-*']}, 1],
    ['another location', {locations: ['europe-west4']}, 0],
    ['the job team', {teams: ['vision']}, 1],
    ['another team', {teams: ['nlp']}, 0],
  ])('%s', (_, appliesTo, count) => {
    expect(evaluateCreate(scoped(appliesTo), createFacts()).violations).toHaveLength(count);
  });
});

describe('teamLimit', () => {
  it('hands the gate the tightest enforced concurrency limit for the job team', () => {
    const policy = policyOf({submissionRules: [
      {name: 'loose', kind: 'team-concurrency', maxActiveJobs: 10},
      {name: 'tight', kind: 'team-concurrency', maxActiveJobs: 5, perTeam: {vision: 4}},
      {name: 'advice', kind: 'team-concurrency', maxActiveJobs: 1, mode: 'warn'},
    ]});

    expect(evaluateCreate(policy, createFacts()).teamLimit).toEqual({team: 'vision', maxActiveJobs: 4, rule: 'tight'});
  });

  it('is absent without a concurrency rule', () => {
    expect(evaluateCreate(policyOf({}), createFacts())).not.toHaveProperty('teamLimit');
  });
});

describe('evaluateCreate access', () => {
  it('stops at a denied access check and reveals nothing else', () => {
    const policy = policyOf({access: [], mutations: [{name: 'm', kind: 'team-label'}], submissionRules: [{name: 'c', kind: 'cmek'}]});

    const verdict = evaluateCreate(policy, createFacts());

    expect(verdict).toMatchObject({allowed: false, mutations: [], warnings: [], team: 'vision'});
    expect(verdict.violations.map(v => v.rule)).toEqual(['access']);
    expect(verdict).not.toHaveProperty('job');
  });

  it('checks access with the team label after mutations', () => {
    const policy = policyOf({
      access: [{name: 'own', callers: {teams: ['*']}, actions: ['create'], teams: ['$own']}],
      mutations: [{name: 't', kind: 'team-label'}],
    });

    const verdict = evaluateCreate(policy, createFacts({job: aNasJobDraft({labels: {team: 'nlp'}})}));

    expect(verdict.allowed).toBe(true);
    expect(verdict.job?.labels).toEqual({team: 'vision'});
  });
});

describe('countsTeamJobs', () => {
  const policy = policyOf({submissionRules: [
    {name: 'prod-limit', kind: 'team-concurrency', maxActiveJobs: 2, appliesTo: {projects: ['nas-prod'], teams: ['vision']}},
  ]});

  it.each([
    ['a job of the team in the project', 'nas-prod', 'vision', true],
    ['another team', 'nas-prod', 'nlp', false],
    ['another project', 'nas-dev', 'vision', false],
  ])('says whether a create needs the team count: %s', (_, project, team, counts) => {
    expect(countsTeamJobs(policy, project, 'us-central1', team)).toBe(counts);
  });

  it('never asks for a count without a team-concurrency rule', () => {
    expect(countsTeamJobs(policyOf({submissionRules: [{name: 'r', kind: 'regions', allowed: ['*']}]}), 'p', 'l', 'vision')).toBe(false);
  });
});
