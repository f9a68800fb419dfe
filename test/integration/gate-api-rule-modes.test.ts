// Every policy rule in every mode, through the real nasJobsApi over HTTP: enforce denies with 403
// naming the rule and changes nothing; warn lets the call through with the warning in the answer and
// the audit entry; audit lets it through silently and only the audit entry records the violation.
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import type {RuleMode} from '../../shared/core/policy/index.js';
import {describeWithEmulators, resetFirestore, testProjectId} from '../harness/emulators.js';
import {startGateFixture, type GateFixture} from './gate-api.support.js';
import {createForMutation, policyInMode, RULE_CASES} from './gate-rule-modes.support.js';

const projectId = testProjectId(import.meta.url);
const MODES: readonly RuleMode[] = ['enforce', 'warn', 'audit'];

describeWithEmulators('nasJobsApi applies each rule in each mode', () => {
  let g: GateFixture;
  beforeAll(async () => {
    g = await startGateFixture(projectId, 'nasJobsApiRuleModes');
  });
  afterAll(async () => g?.closeGate());
  beforeEach(async () => {
    await g.sim.reset();
    await resetFirestore(projectId);
  });

  const lastAudit = async (action: string) => (await g.auditEntries()).filter(entry => entry.action === action).at(-1);

  describe.each(MODES)('in %s mode', mode => {
    beforeAll(() => g.usePolicy(policyInMode(mode)));

    it.each(RULE_CASES.map(c => [`${c.slug}-rule`, c] as const))('%s', async (rule, ruleCase) => {
      const {status, body, tookEffect} = await ruleCase.run(g);
      const audit = await lastAudit(ruleCase.action);
      const warning = expect.stringMatching(new RegExp(`^${rule}: `));
      expect(audit?.violations).toContainEqual(expect.objectContaining({rule, mode}));
      if (mode === 'enforce') {
        expect(status, JSON.stringify(body)).toBe(403);
        expect(body.error.details).toContainEqual(expect.objectContaining({reason: 'POLICY_DENIED', metadata: expect.objectContaining({rule})}));
        expect(audit).toMatchObject({verdict: 'denied', httpStatus: 403});
        expect(await tookEffect()).toBe(false);
        return;
      }
      expect(status, JSON.stringify(body)).toBe(200);
      expect(audit).toMatchObject({verdict: 'allowed', httpStatus: 200});
      expect(await tookEffect()).toBe(true);
      if (mode === 'warn') {
        expect(body.nasmonPolicy?.warnings).toContainEqual(warning);
        expect(audit?.warnings).toContainEqual(warning);
      } else {
        expect(body.nasmonPolicy?.warnings ?? []).not.toContainEqual(warning);
        expect(audit?.warnings).not.toContainEqual(warning);
      }
    });

    it('mutation-rule', async () => {
      const {status, body, labelled} = await createForMutation(g);
      const audit = await lastAudit('create');
      const change = expect.objectContaining({rule: 'mutation-rule', path: '/labels/reviewed', value: 'no'});
      expect(status, JSON.stringify(body)).toBe(200);
      // enforce and warn make the change and report it; audit only records what it would have done.
      expect(labelled).toBe(mode !== 'audit');
      if (mode === 'audit') {
        expect(body.nasmonPolicy?.mutations ?? []).not.toContainEqual(change);
        expect(audit?.violations).toContainEqual(expect.objectContaining({rule: 'mutation-rule', mode: 'audit'}));
      } else {
        expect(body.nasmonPolicy.mutations).toContainEqual(change);
        expect(audit?.mutations).toContainEqual(change);
      }
      const warned = (body.nasmonPolicy?.warnings ?? []).some((line: string) => line.startsWith('mutation-rule'));
      expect(warned).toBe(mode === 'warn');
    });
  });
});
