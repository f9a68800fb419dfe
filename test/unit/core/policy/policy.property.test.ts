import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {applyPatchOp, evaluateAction, evaluateCreate, parsePolicy, PolicyError, type Policy} from '../../../../shared/core/policy/index.js';
import type {NasJobDraft} from '../../../../shared/core/vertex/index.js';
import {aNasJobDraft} from '../../../factories.js';
import {mutated} from '../vertex/json-mutations.js';
import {examplePolicy, policyFixture} from './support.js';

// parsePolicy must answer every input with a Policy or a PolicyError; the evaluators must answer
// every job shape with a verdict whose parts agree with each other.

function parseOutcome(text: string, format: 'yaml' | 'json'): 'policy' | 'error' {
  try {
    parsePolicy({text, format, file: 'fuzz'});
    return 'policy';
  } catch (error) {
    if (error instanceof PolicyError && error.problems.length > 0 && error.problems.every(p => p.reason !== '')) return 'error';
    throw error;
  }
}

const EXAMPLE = JSON.parse(policyFixture('example.json')) as unknown;

describe('parsePolicy never crashes', () => {
  it('on arbitrary JSON documents', () => {
    fc.assert(fc.property(fc.jsonValue(), json => {
      expect(parseOutcome(JSON.stringify(json), 'json')).toBe('error');
    }), {numRuns: 300});
  });

  it('on the example policy with random damage', () => {
    fc.assert(fc.property(mutated(EXAMPLE), json => {
      parseOutcome(JSON.stringify(json) ?? 'null', 'json');
    }), {numRuns: 1000});
  });

  it('on the example YAML with random edits', () => {
    const text = policyFixture('example.yaml');
    const edit = fc.record({at: fc.nat({max: text.length}), remove: fc.nat({max: 40}), insert: fc.string({maxLength: 20})});
    fc.assert(fc.property(fc.array(edit, {minLength: 1, maxLength: 4}), edits => {
      const damaged = edits.reduce((t, {at, remove, insert}) => t.slice(0, at) + insert + t.slice(at + remove), text);
      parseOutcome(damaged, 'yaml');
    }), {numRuns: 500});
  });

  it('on arbitrary text in either format', () => {
    fc.assert(fc.property(fc.string({maxLength: 200}), fc.constantFrom('yaml', 'json') as fc.Arbitrary<'yaml' | 'json'>, (text, format) => {
      parseOutcome(text, format);
    }), {numRuns: 500});
  });
});

describe('evaluateCreate and evaluateAction never crash', () => {
  const policy: Policy = examplePolicy();
  const callers = fc.constantFrom('bob@example.com', 'alice@example.com', 'dave@nlp.example.com', 'x@ml-pipelines.iam.gserviceaccount.com', 'mallory@evil.com', '', 'no-at-sign');
  const draft = mutated(JSON.parse(JSON.stringify(aNasJobDraft({
    labels: {'team': 'vision', 'cost-center': 'cc-1234'},
    encryptionSpec: {kmsKeyName: 'projects/ml-kms/locations/us-central1/keyRings/nas/cryptoKeys/k1'},
  }))) as unknown);

  it('on damaged NasJobDraft-shaped jobs, with a consistent verdict', () => {
    fc.assert(fc.property(draft, callers, fc.dictionary(fc.string(), fc.oneof(fc.nat(), fc.double())), (job, email, counts) => {
      const verdict = evaluateCreate(policy, {
        caller: {email}, project: 'nas-prod', location: 'us-central1', job: job as NasJobDraft, activeJobsByTeam: counts,
      });

      expect(verdict.allowed).toBe(!verdict.violations.some(v => v.mode === 'enforce'));
      expect(verdict.warnings.length).toBeGreaterThanOrEqual(verdict.violations.filter(v => v.mode === 'warn').length);
      expect(() => JSON.stringify(verdict)).not.toThrow();
      if (verdict.projectedAcceleratorHours !== undefined) expect(verdict.projectedAcceleratorHours).toBeGreaterThanOrEqual(0);
      // The reported ops are the whole difference: replayed on the submitted job they give the result.
      if (verdict.job !== undefined) expect(verdict.mutations.reduce<unknown>(applyPatchOp, job)).toEqual(verdict.job);
    }), {numRuns: 1000});
  });

  it('on arbitrary values where a job should be', () => {
    fc.assert(fc.property(fc.anything(), callers, (job, email) => {
      evaluateCreate(policy, {caller: {email}, project: 'p', location: 'l', job: job as NasJobDraft, activeJobsByTeam: {}});
    }), {numRuns: 300});
  });

  it('on arbitrary action facts', () => {
    fc.assert(fc.property(
      callers, fc.constantFrom('cancel', 'delete') as fc.Arbitrary<'cancel' | 'delete'>, fc.string(),
      fc.dictionary(fc.constantFrom('team', 'protected', 'x'), fc.string()), fc.option(fc.string(), {nil: undefined}),
      (email, action, jobState, jobLabels, createdBy) => {
        const verdict = evaluateAction(policy, {caller: {email}, action, project: 'nas-prod', location: 'us-central1', jobState, jobLabels, ...(createdBy === undefined ? {} : {createdBy})});

        expect(verdict.allowed).toBe(!verdict.violations.some(v => v.mode === 'enforce'));
      },
    ), {numRuns: 500});
  });
});
