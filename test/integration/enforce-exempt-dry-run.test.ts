// Jobs enforce must not cancel, over real connections: one carries the exemption label, one falls
// under a dry-run rule (which reports what it would do), one under a rule in audit mode.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {trueHistory} from './poller.support.js';
import {startEnforceFixture, startRunning, waitForEnforcement, type EnforceFixture} from './enforce.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('enforce: exemptions, dry run and audit', () => {
  let f: EnforceFixture;
  let exempt: string;
  let dry: string;
  let audited: string;
  beforeAll(async () => {
    f = await startEnforceFixture(projectId, {
      rules: [
        {name: 'run-real', kind: 'max-run-time', limit: '10h', appliesTo: {labels: {mode: 'real'}}},
        {name: 'run-dry', kind: 'max-run-time', limit: '10h', appliesTo: {labels: {mode: 'dry'}}, dryRun: true},
        {name: 'run-audit', kind: 'max-run-time', limit: '10h', appliesTo: {labels: {mode: 'audit'}}, mode: 'audit'},
      ],
    });
    exempt = await f.seed({mode: 'real', 'nasmon-exempt': 'true'});
    dry = await f.seed({mode: 'dry'});
    audited = await f.seed({mode: 'audit'});
    await startRunning(f);
  });
  afterAll(async () => f?.close());

  it('reports the dry-run rule\'s warning and cancel with dryRun: true, and cancels nothing', async () => {
    await f.advanceToHours(dry, 8.5);
    await f.tick();
    await f.advanceToHours(dry, 12);
    await f.tick();
    await f.tick();

    expect(await waitForEnforcement(f, dry, 2)).toEqual(['warn/dry-run', 'cancel/dry-run']);
    const cancel = f.received.find(event => event.id === `${dry}/enforcement/run-dry/cancel/dry-run`)!;
    expect(cancel.data).toMatchObject({action: 'cancel', rule: 'run-dry', dryRun: true});
  });

  it('leaves the exempt job alone, and records the audit-mode rule in the audit trail only', async () => {
    expect(f.enforcementOf(exempt)).toEqual([]);
    expect(f.enforcementOf(audited)).toEqual([]);
    expect(await f.auditOf(exempt)).toEqual([]);
    expect(await f.auditOf(audited)).toEqual(['run-audit/warn/0.8/audit', 'run-audit/cancel/audit']);
  });

  it('sent no cancel to Vertex: every job still runs', async () => {
    await f.pollAndDeliver();
    expect(await f.cancelCalls()).toBe(0);
    const truth = await trueHistory(f.sim);
    for (const job of [exempt, dry, audited]) expect(truth.get(job)!.states.at(-1)!.state).toBe('JOB_STATE_RUNNING');
  });
});
