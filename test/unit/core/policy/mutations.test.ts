import {describe, expect, it} from 'vitest';
import {evaluateCreate, type Mutation} from '../../../../shared/core/policy/index.js';
import type {NasJobDraft} from '../../../../shared/core/vertex/index.js';
import {aNasJobDraft} from '../../../factories.js';
import {createFacts, examplePolicy, policyOf} from './support.js';

const SEARCH_JOB_SPEC = '/nasJobSpec/multiTrialAlgorithmSpec/searchTrialSpec/searchTrialJobSpec';

// An independent RFC 6902 `add`/`replace` for objects, to check that the reported ops rebuild the job.
function applyOps(job: NasJobDraft, ops: readonly Mutation[]): unknown {
  const doc = structuredClone(job) as unknown as Record<string, unknown>;
  for (const {op, path, value} of ops) {
    const keys = path.split('/').slice(1).map(k => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, doc);
    if (op === 'replace' && !(last in parent)) throw new Error(`replace of a missing member ${path}`);
    if (op === 'add' && last in parent) throw new Error(`add over an existing member ${path}`);
    parent[last] = value;
  }
  return doc;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

describe('mutations (the example policy)', () => {
  it('adds managed-by and a 24h search timeout, reports both ops, and leaves the submitted job alone', () => {
    const submitted = deepFreeze(aNasJobDraft());

    const verdict = evaluateCreate(examplePolicy(), createFacts({job: submitted}));

    expect(verdict.mutations).toEqual([
      {rule: 'managed-by', op: 'add', path: '/labels/managed-by', value: 'nasmon'},
      {rule: 'default-timeout', op: 'add', path: `${SEARCH_JOB_SPEC}/scheduling`, value: {timeout: '86400s'}},
    ]);
    expect(verdict.job).toEqual(applyOps(submitted, verdict.mutations));
    expect(verdict.job?.labels).toEqual({'team': 'vision', 'managed-by': 'nasmon'});
    expect(submitted.labels).toEqual({team: 'vision'});
  });

  it('replaces a team label that is not the caller team', () => {
    const verdict = evaluateCreate(examplePolicy(), createFacts({job: aNasJobDraft({labels: {'team': 'nlp', 'managed-by': 'nasmon'}})}));

    expect(verdict.mutations[0]).toEqual({rule: 'team-label', op: 'replace', path: '/labels/team', value: 'vision'});
  });
});

describe('mutations, kind by kind', () => {
  const noLabels = (): NasJobDraft => {
    const {labels: _, ...job} = aNasJobDraft();
    return job;
  };
  const withScheduling = (scheduling: Record<string, unknown>): NasJobDraft => {
    const job = structuredClone(aNasJobDraft()) as unknown as {nasJobSpec: {multiTrialAlgorithmSpec: {searchTrialSpec: {searchTrialJobSpec: Record<string, unknown>}}}};
    job.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.scheduling = scheduling;
    return job as unknown as NasJobDraft;
  };
  const label = (extra: Record<string, unknown> = {}) => ({mutations: [{name: 'm', kind: 'label', key: 'env', value: 'prod', ...extra}]});
  const timeout = (extra: Record<string, unknown> = {}) => ({mutations: [{name: 'm', kind: 'default-trial-timeout', timeout: '2h', ...extra}]});

  it.each<[string, Record<string, unknown>, NasJobDraft, string, Omit<Mutation, 'rule'>[]]>([
    ['label: no labels at all → add the map', label(), noLabels(), 'bob@example.com', [{op: 'add', path: '/labels', value: {env: 'prod'}}]],
    ['label: absent → add', label(), aNasJobDraft(), 'bob@example.com', [{op: 'add', path: '/labels/env', value: 'prod'}]],
    ['label: other value → replace', label(), aNasJobDraft({labels: {env: 'dev'}}), 'bob@example.com', [{op: 'replace', path: '/labels/env', value: 'prod'}]],
    ['label: other value, overwrite false → keep', label({overwrite: false}), aNasJobDraft({labels: {env: 'dev'}}), 'bob@example.com', []],
    ['label: same value → nothing', label(), aNasJobDraft({labels: {env: 'prod'}}), 'bob@example.com', []],
    ['team-label: caller without a team → nothing', {mutations: [{name: 'm', kind: 'team-label'}]}, noLabels(), 'root@example.com', []],
    ['team-label: caller team added', {mutations: [{name: 'm', kind: 'team-label'}]}, aNasJobDraft({labels: {}}), 'dave@example.com', [{op: 'add', path: '/labels/team', value: 'nlp'}]],
    ['team-label: overwrite false keeps another team', {mutations: [{name: 'm', kind: 'team-label', overwrite: false}]}, aNasJobDraft(), 'dave@example.com', []],
    ['timeout: no scheduling → add scheduling', timeout(), aNasJobDraft(), 'bob@example.com', [{op: 'add', path: `${SEARCH_JOB_SPEC}/scheduling`, value: {timeout: '7200s'}}]],
    ['timeout: scheduling without timeout → add timeout', timeout(), withScheduling({disableRetries: true}), 'bob@example.com', [{op: 'add', path: `${SEARCH_JOB_SPEC}/scheduling/timeout`, value: '7200s'}]],
    ['timeout: a timeout already set → nothing', timeout(), withScheduling({timeout: '60s'}), 'bob@example.com', []],
    ['timeout: train stage only, no train spec → nothing', timeout({stages: ['train']}), aNasJobDraft(), 'bob@example.com', []],
  ])('%s', (_, document, job, email, ops) => {
    const submitted = deepFreeze(job);

    const verdict = evaluateCreate(policyOf(document), createFacts({job: submitted, caller: {email}}));

    expect(verdict.mutations).toEqual(ops.map(op => ({rule: 'm', ...op})));
    expect(verdict.job).toEqual(applyOps(submitted, verdict.mutations));
  });

  it('sets the train stage timeout too when the job has a train stage', () => {
    const job = aNasJobDraft();
    const spec = job.nasJobSpec.multiTrialAlgorithmSpec!;
    const withTrain = {...job, nasJobSpec: {...job.nasJobSpec, multiTrialAlgorithmSpec: {...spec,
      trainTrialSpec: {maxParallelTrialCount: 2, frequency: 10, trainTrialJobSpec: spec.searchTrialSpec!.searchTrialJobSpec!}}}};

    const verdict = evaluateCreate(policyOf(timeout()), createFacts({job: withTrain}));

    expect(verdict.mutations.map(m => m.path)).toEqual([
      `${SEARCH_JOB_SPEC}/scheduling`,
      '/nasJobSpec/multiTrialAlgorithmSpec/trainTrialSpec/trainTrialJobSpec/scheduling',
    ]);
  });

  it('applies a warn-mode mutation and says so in the warnings', () => {
    const verdict = evaluateCreate(policyOf(label({mode: 'warn'})), createFacts());

    expect(verdict.mutations).toHaveLength(1);
    expect(verdict.warnings).toEqual(['m: add /labels/env = "prod"']);
    expect(verdict.allowed).toBe(true);
  });

  it('records an audit-mode mutation without applying it', () => {
    const verdict = evaluateCreate(policyOf(label({mode: 'audit'})), createFacts());

    expect(verdict.mutations).toEqual([]);
    expect(verdict.job).toEqual(aNasJobDraft());
    expect(verdict.violations).toEqual([{rule: 'm', mode: 'audit', field: 'labels.env', actual: null, limit: 'prod',
      message: 'would add /labels/env = "prod" (audit mode: not applied)'}]);
    expect(verdict.allowed).toBe(true);
  });

  it('scopes a later mutation by the team label an earlier one set', () => {
    const policy = policyOf({mutations: [
      {name: 'team', kind: 'team-label'},
      {name: 'vision-only', kind: 'label', key: 'gpu-pool', value: 'shared', appliesTo: {teams: ['vision']}},
    ]});

    const forBob = evaluateCreate(policy, createFacts({job: aNasJobDraft({labels: {}})}));
    const forDave = evaluateCreate(policy, createFacts({job: aNasJobDraft({labels: {}}), caller: {email: 'dave@example.com'}}));

    expect(forBob.mutations.map(m => m.rule)).toEqual(['team', 'vision-only']);
    expect(forDave.mutations.map(m => m.rule)).toEqual(['team']);
  });

  it('runs before the submission rules: a defaulted timeout is what the accelerator-hours rule sees', () => {
    const rules = {submissionRules: [{name: 'hours', kind: 'accelerator-hours', maxPerJob: 500}]};

    const without = evaluateCreate(policyOf(rules), createFacts());
    const withDefault = evaluateCreate(policyOf({...rules, ...timeout({timeout: '24h'})}), createFacts());

    // 20 trials × 1 T4 × 168 h (Vertex's 7-day default) = 3360 h; with a 24 h default, 480 h.
    expect(without.projectedAcceleratorHours).toBe(3360);
    expect(without.allowed).toBe(false);
    expect(withDefault.projectedAcceleratorHours).toBe(480);
    expect(withDefault.allowed).toBe(true);
  });
});
