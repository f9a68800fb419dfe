import {describe, expect, it} from 'vitest';
import type {PubSubMessage} from '../../../../shared/core/messages/pubsub-envelope.js';
import {evaluateJob} from '../../../../shared/use-cases/enforce/evaluate-job.js';
import {handleEnforceEvent} from '../../../../shared/use-cases/enforce/handle-enforce-event.js';
import {runEnforceTick} from '../../../../shared/use-cases/enforce/run-enforce-tick.js';
import {enforceWorld} from './enforce-fakes.js';

const stateChanged = (jobName: string): PubSubMessage =>
  ({messageId: 'm', json: {}, attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged', 'ce-nasjob': jobName}});

describe('enforce: warn, cancel, confirm', () => {
  it('warns at 80%, cancels at the limit once, and confirms when the job ends CANCELLED', async () => {
    const w = enforceWorld();
    // Arrange: the poller's first sighting of the running job reaches enforce.
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    expect(w.store.states.get(w.name)?.dueMs).toBe(Date.parse('2025-07-20T18:05:00Z'));

    // Act: ticks at 7h, 8h, 9h, 10h.
    for (const hours of [7, 8, 9]) {
      w.at(hours);
      await runEnforceTick(w.deps);
    }
    expect(w.actions()).toEqual(['warn run']);
    w.at(10);
    await runEnforceTick(w.deps);
    await runEnforceTick(w.deps);
    expect(w.actions()).toEqual(['warn run', 'cancel run']);
    expect(w.calls).toEqual({get: 1, cancel: 1});

    w.become({state: 'JOB_STATE_CANCELLING'});
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    w.become({state: 'JOB_STATE_CANCELLED', endTime: '2025-07-20T20:07:00Z'});
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    await handleEnforceEvent(w.deps, stateChanged(w.name)); // a redelivery

    // Assert
    expect(w.actions()).toEqual(['warn run', 'cancel run', 'cancel-confirmed run']);
    expect(w.published.map(event => event.id)).toEqual([
      `${w.name}/enforcement/run/warn/0.8`, `${w.name}/enforcement/cancel`, `${w.name}/enforcement/cancel-confirmed`,
    ]);
    expect(w.published[2]!.data).toMatchObject({reason: 'the job ended CANCELLED (1 attempt, seen CANCELLING)', dryRun: false});
    expect(w.store.audit.map(entry => entry.key)).toEqual(['run/warn/0.8', 'cancel', 'cancel-attempt/1', 'cancel-confirmed']);
    expect(w.store.outbox.size).toBe(0); // published, then removed from the outbox
    expect(w.store.states.get(w.name)?.dueMs).toBeNull();
  });

  it('publishes the event in the CloudEvents form of nasjob-events', async () => {
    const w = enforceWorld();
    w.at(8);
    await evaluateJob(w.deps, w.name);
    const [event] = w.published;

    expect(event!.attributes).toMatchObject({
      'ce-type': 'nasmon.nasjob.v1.enforcement', 'ce-id': `${w.name}/enforcement/run/warn/0.8`, 'ce-nasjob': w.name,
      'ce-state': 'JOB_STATE_RUNNING', 'ce-subject': 'nasJobs/1000000000000000001',
    });
    expect(event!.data).toMatchObject({
      jobName: w.name, rule: 'run', action: 'warn', dryRun: false, threshold: 0.8, ruleKind: 'max-run-time', limitSeconds: 36_000,
      reason: 'running for 8h of a 10h limit (80%); warning at 80% of the limit',
    });
    expect(event!.orderingKey).toBe(w.name);
  });

  it('warns once and cancels once whatever the redeliveries and overlapping ticks', async () => {
    const w = enforceWorld();
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    w.at(8);
    await Promise.all([runEnforceTick(w.deps), runEnforceTick(w.deps), evaluateJob(w.deps, w.name), handleEnforceEvent(w.deps, stateChanged(w.name))]);
    w.at(10);
    await Promise.all([runEnforceTick(w.deps), runEnforceTick(w.deps), runEnforceTick(w.deps), evaluateJob(w.deps, w.name)]);

    expect(w.actions()).toEqual(['warn run', 'cancel run']);
    expect(w.calls.cancel).toBe(1);
  });

  it('only reports in dry-run mode: events say dryRun, and Vertex is never called', async () => {
    const w = enforceWorld({runtime: {dryRun: true, rules: [{name: 'run', kind: 'max-run-time', limit: '10h'}]}});
    w.at(12);
    await evaluateJob(w.deps, w.name);
    await evaluateJob(w.deps, w.name);

    expect(w.published.map(event => [event.data.action, event.data.dryRun])).toEqual([['cancel', true]]);
    expect(w.calls).toEqual({get: 0, cancel: 0});
    expect(w.store.states.get(w.name)?.cancel).toBeUndefined();
  });

  it('leaves a job with the exemption label alone', async () => {
    const w = enforceWorld({job: {labels: {team: 'vision', 'nasmon-exempt': 'true'}}});
    w.at(12);
    await evaluateJob(w.deps, w.name);

    expect(w.published).toEqual([]);
    expect(w.store.states.get(w.name)?.dueMs).toBeNull();
  });

  it('writes audit-mode decisions to the audit trail only', async () => {
    const w = enforceWorld({rules: [{name: 'run', kind: 'max-run-time', limit: '10h', mode: 'audit'}]});
    w.at(12);
    await evaluateJob(w.deps, w.name);

    expect(w.published).toEqual([]);
    expect(w.store.audit.map(entry => [entry.key, entry.fields.action, entry.fields.dryRun])).toEqual([['run/cancel/audit', 'cancel', true]]);
  });

  it('sweeps up active jobs it never heard of, once per sweep period', async () => {
    const w = enforceWorld();
    w.at(9);
    const first = await runEnforceTick(w.deps);
    const second = await runEnforceTick(w.deps);
    w.at(9.1);
    const third = await runEnforceTick(w.deps);

    expect(first).toMatchObject({due: 0, marked: 1});
    expect(second).toMatchObject({due: 1, actions: 1, marked: 0});
    expect(third).toMatchObject({due: 0, marked: 0});
    expect(w.actions()).toEqual(['warn run']);
  });
});
