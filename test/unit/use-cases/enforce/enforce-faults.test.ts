import {describe, expect, it} from 'vitest';
import type {PubSubMessage} from '../../../../shared/core/messages/pubsub-envelope.js';
import {evaluateJob} from '../../../../shared/use-cases/enforce/evaluate-job.js';
import {handleEnforceEvent} from '../../../../shared/use-cases/enforce/handle-enforce-event.js';
import {runEnforceTick} from '../../../../shared/use-cases/enforce/run-enforce-tick.js';
import {enforceWorld, vertexError} from './enforce-fakes.js';

const stateChanged = (jobName: string): PubSubMessage =>
  ({messageId: 'm', json: {}, attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged', 'ce-nasjob': jobName}});
const MINUTE = 1 / 60;

describe('enforce when Vertex fails the cancel', () => {
  it.each([
    ['429 RESOURCE_EXHAUSTED', vertexError(429, 'RESOURCE_EXHAUSTED', 45)],
    ['503 UNAVAILABLE', vertexError(503, 'UNAVAILABLE')],
  ])('retries a cancel that met %s at a later tick, without a second cancel event', async (_, error) => {
    const w = enforceWorld();
    w.cancelErrors.push(error);
    w.at(10);
    await evaluateJob(w.deps, w.name);
    await runEnforceTick(w.deps); // in the same minute: the retry time has not come
    await handleEnforceEvent(w.deps, stateChanged(w.name)); // nor for a redelivered event

    const waiting = w.store.states.get(w.name)!;
    expect(w.calls.cancel).toBe(1);
    expect(waiting.cancel).toMatchObject({status: 'requested', attempts: 1, lastError: expect.stringContaining(error.status)});
    expect(waiting.dueMs).toBe(waiting.cancel!.retryAtMs);

    w.at(10 + 2 * MINUTE);
    await runEnforceTick(w.deps);

    expect(w.calls.cancel).toBe(2);
    expect(w.store.states.get(w.name)!.cancel).toMatchObject({status: 'sent', attempts: 2});
    expect(w.actions()).toEqual(['cancel run']);
    expect(w.store.audit.map(entry => [entry.key, entry.fields.outcome])).toEqual([['cancel', undefined], ['cancel-attempt/1', 'retry'], ['cancel-attempt/2', 'sent']]);
    expect(w.logged('cancel failed; retrying at the next tick')).toHaveLength(1);
  });

  it('records FAILED_PRECONDITION (the job had just finished), stays quiet, and reports the ending', async () => {
    const w = enforceWorld();
    w.cancelErrors.push(vertexError(400, 'FAILED_PRECONDITION'));
    w.at(10);
    await expect(evaluateJob(w.deps, w.name)).resolves.toMatchObject({attempt: 1});
    for (const minutes of [1, 2, 5]) {
      w.at(10 + minutes * MINUTE);
      await runEnforceTick(w.deps);
    }

    expect(w.calls.cancel).toBe(1); // no retry storm: nothing is due until the re-issue timeout
    expect(w.store.states.get(w.name)!.cancel).toMatchObject({status: 'refused', lastError: expect.stringContaining('FAILED_PRECONDITION')});
    expect(w.store.audit.at(-1)).toMatchObject({key: 'cancel-attempt/1', fields: {outcome: 'refused'}});

    w.become({state: 'JOB_STATE_SUCCEEDED', endTime: '2025-07-20T20:05:30Z'});
    await handleEnforceEvent(w.deps, stateChanged(w.name));

    expect(w.actions()).toEqual(['cancel run', 'cancel-failed run']);
    expect(w.published[1]!.data.reason).toContain('the job ended JOB_STATE_SUCCEEDED despite the cancel');
  });

  it('reports cancel-failed when the job ends SUCCEEDED despite an accepted cancel', async () => {
    const w = enforceWorld();
    w.at(10);
    await evaluateJob(w.deps, w.name);
    w.become({state: 'JOB_STATE_CANCELLING'});
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    w.become({state: 'JOB_STATE_SUCCEEDED', endTime: '2025-07-20T20:07:00Z'});
    await handleEnforceEvent(w.deps, stateChanged(w.name));
    await handleEnforceEvent(w.deps, stateChanged(w.name));

    expect(w.actions()).toEqual(['cancel run', 'cancel-failed run']);
  });

  it('re-issues the cancel to a job stuck in CANCELLING, then reports cancel-failed', async () => {
    const w = enforceWorld();
    w.at(10);
    await evaluateJob(w.deps, w.name);
    w.become({state: 'JOB_STATE_CANCELLING'});
    for (let minute = 1; minute <= 61; minute += 1) {
      w.at(10 + minute * MINUTE);
      await runEnforceTick(w.deps);
    }

    expect(w.calls.cancel).toBe(6); // at 0, 10, 20, 30, 40 and 50 minutes
    expect(w.actions()).toEqual(['cancel run', 'cancel-failed run']);
    expect(w.published[1]!.data.reason).toBe('the job is still JOB_STATE_CANCELLING 1h after the cancel (6 attempts, seen CANCELLING)');
  });

  it('does not cancel when the get before the cancel shows the job has finished', async () => {
    const w = enforceWorld();
    w.at(10);
    w.becomeInVertexOnly({state: 'JOB_STATE_SUCCEEDED', endTime: '2025-07-20T20:04:00Z'});
    await evaluateJob(w.deps, w.name);

    expect(w.calls).toEqual({get: 1, cancel: 0});
    expect(w.published).toEqual([]);
  });

  it('defers a cancel whose get fails, and cancels at a later tick', async () => {
    const w = enforceWorld();
    w.getErrors.push(vertexError(503, 'UNAVAILABLE'));
    w.at(10);
    await expect(evaluateJob(w.deps, w.name)).resolves.toMatchObject({deferred: true});
    expect(w.calls.cancel).toBe(0);
    expect(w.logged('could not read the job before cancelling it')).toHaveLength(1);

    w.at(10 + 2 * MINUTE);
    await runEnforceTick(w.deps);

    expect(w.calls.cancel).toBe(1);
    expect(w.actions()).toEqual(['cancel run']);
  });
});

describe('enforce on bad data', () => {
  it('skips a running job without startTime, with a log line naming the job and the field', async () => {
    const w = enforceWorld({job: {startTime: 'not-a-time'}});
    w.at(100);
    await evaluateJob(w.deps, w.name);

    expect(w.published).toEqual([]);
    expect(w.logged('skipping a rule')).toEqual([
      expect.objectContaining({job: w.name, rule: 'run', field: 'job.startTime', reason: 'not an RFC 3339 time: "not-a-time"'}),
    ]);
  });

  it('skips a job whose mirror record is unreadable, naming the field', async () => {
    const w = enforceWorld();
    w.store.mirror.set(w.name, {recordProblem: {field: 'stages.search.counts.total', reason: 'expected an integer ≥ 0, got "x"'}});
    await evaluateJob(w.deps, w.name);

    expect(w.logged('mirror record is unreadable')).toEqual([expect.objectContaining({job: w.name, field: 'stages.search.counts.total'})]);
    expect(w.published).toEqual([]);
  });

  it('postpones a job whose enforce state is unreadable instead of re-reading it every tick', async () => {
    const w = enforceWorld();
    w.store.unreadableStates.set(w.name, {field: 'done', reason: 'expected a map, got an array'});
    w.at(10);
    await evaluateJob(w.deps, w.name);

    expect(w.logged('enforce state is unreadable')).toEqual([expect.objectContaining({job: w.name, field: 'done'})]);
    expect(w.store.states.get(w.name)!.dueMs).toBe(Date.parse('2025-07-20T21:05:00Z'));
    expect(w.calls.cancel).toBe(0);
  });
});
