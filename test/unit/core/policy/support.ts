// Builders for policy tests: policies from plain objects (through the real parser), and facts.
import {readFileSync} from 'node:fs';
import {parsePolicy, PolicyError, type Policy, type PolicyProblem} from '../../../../shared/core/policy/index.js';
import type {ActionFacts, CreateFacts} from '../../../../shared/core/policy/index.js';
import type {NasJobDraft} from '../../../../shared/core/vertex/index.js';
import {aNasJobDraft} from '../../../factories.js';

/** Reads `test/fixtures/policy/<file>` as text. */
export function policyFixture(file: string): string {
  return readFileSync(new URL(`../../../fixtures/policy/${file}`, import.meta.url), 'utf8');
}

/** The example policy a user would copy. */
export function examplePolicy(): Policy {
  return parsePolicy({text: policyFixture('example.yaml'), format: 'yaml', file: 'example.yaml'});
}

/** Teams and an allow-everything grant, so a test can focus on one section. */
export const BASE = {
  version: 1,
  groups: {admins: {emails: ['root@example.com']}},
  teams: {
    vision: {emails: ['bob@example.com'], domains: ['vision.example.com']},
    nlp: {emails: ['dave@example.com'], domains: ['nlp.example.com']},
  },
  access: [{name: 'everyone', callers: {domains: ['example.com', 'vision.example.com', 'nlp.example.com']}, actions: ['*']}],
};

/** Compiles a policy document given as an object (merged over {@link BASE}). */
export function policyOf(document: Record<string, unknown>): Policy {
  return parsePolicy({text: JSON.stringify({...BASE, ...document}), format: 'json', file: 'test.json'});
}

/** The problems parsePolicy reports for a document (fails the test if it parses). */
export function problemsOf(text: string, format: 'yaml' | 'json' = 'json', file = 'test.json'): PolicyProblem[] {
  try {
    parsePolicy({text, format, file});
  } catch (error) {
    if (error instanceof PolicyError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a PolicyError');
}

/** Problems of a document merged over {@link BASE}, as `path: reason` lines. */
export function problemLines(document: Record<string, unknown>): string[] {
  return problemsOf(JSON.stringify({...BASE, ...document})).map(p => `${p.path}: ${p.reason}`);
}

/** Create facts for bob (team vision) in nas-prod/us-central1 with the default draft. */
export function createFacts(overrides: Partial<CreateFacts> = {}): CreateFacts {
  return {
    caller: {email: 'bob@example.com'},
    project: 'nas-prod',
    location: 'us-central1',
    job: aNasJobDraft(),
    activeJobsByTeam: {},
    ...overrides,
  };
}

/** Overrides of action facts; `undefined` removes an optional fact (e.g. an unknown creator). */
export type ActionOverrides = {[K in keyof ActionFacts]?: ActionFacts[K] | undefined};

/** Delete facts: bob deletes a finished vision job he created. */
export function actionFacts(overrides: ActionOverrides = {}): ActionFacts {
  const facts = {
    caller: {email: 'bob@example.com'},
    action: 'delete',
    project: 'nas-prod',
    location: 'us-central1',
    jobState: 'JOB_STATE_SUCCEEDED',
    jobLabels: {team: 'vision'},
    createdBy: 'bob@example.com',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as unknown as ActionFacts;
}

/** The default draft after `edit` changes a deep copy of it (for shapes the factory's overrides cannot reach). */
export function draftWith(edit: (job: EditableDraft) => void): NasJobDraft {
  const job = structuredClone(aNasJobDraft()) as unknown as EditableDraft;
  edit(job);
  return job as unknown as NasJobDraft;
}

/** A loosely typed draft for tests that build odd shapes. */
export interface EditableDraft {
  displayName?: unknown;
  labels?: Record<string, unknown>;
  encryptionSpec?: unknown;
  nasJobSpec: {multiTrialAlgorithmSpec: {searchTrialSpec: Record<string, unknown> & {searchTrialJobSpec: Record<string, unknown> & {workerPoolSpecs: Record<string, unknown>[]}}; trainTrialSpec?: Record<string, unknown>}};
}

/** The search stage's first worker pool's machineSpec. */
export function searchMachine(job: EditableDraft): Record<string, unknown> {
  return job.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[0]!.machineSpec as Record<string, unknown>;
}
