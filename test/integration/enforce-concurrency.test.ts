// Overlapping ticks and redelivered events on the real Firestore emulator: their transactions contend
// for the job's state document, and whichever commits second finds the action already taken.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {evaluateJob} from '../../shared/use-cases/enforce/evaluate-job.js';
import {handleEnforceEvent} from '../../shared/use-cases/enforce/handle-enforce-event.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {startEnforceFixture, startRunning, waitForEnforcement, type EnforceFixture} from './enforce.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('enforce: concurrent ticks', () => {
  let f: EnforceFixture;
  let job: string;
  const redelivery = () => handleEnforceEvent(f.deps, {
    messageId: 'redelivered', json: {}, attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged', 'ce-nasjob': job},
  });
  beforeAll(async () => {
    f = await startEnforceFixture(projectId, {rules: [{name: 'max-run', kind: 'max-run-time', limit: '10h'}]});
    job = await f.seed({team: 'vision'});
    await startRunning(f);
  });
  afterAll(async () => f?.close());

  it('warns once when three ticks and a redelivered event overlap', async () => {
    await f.advanceToHours(job, 8);
    await Promise.all([f.tick(), f.tick(), f.tick(), redelivery()]);

    expect(await waitForEnforcement(f, job, 1)).toEqual(['warn']);
  });

  it('cancels once, with one call to Vertex, when they overlap at the limit', async () => {
    await f.advanceToHours(job, 10);
    await Promise.all([f.tick(), f.tick(), f.tick(), redelivery(), evaluateJob(f.deps, job)]);

    expect(await waitForEnforcement(f, job, 2)).toEqual(['warn', 'cancel']);
    expect(await f.cancelCalls()).toBe(1);
    expect(await f.auditOf(job)).toEqual(['max-run/warn/0.8', 'cancel', 'cancel-attempt/1']);
  });
});
