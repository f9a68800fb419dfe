// An overrunning job, end to end over real connections: the simulator runs it (over HTTP, on a clock
// the test moves), the poller mirrors it into the Firestore emulator and publishes its events on the
// Pub/Sub emulator, enforce hears them and ticks. The job is warned, cancelled and confirmed, once each.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {trueHistory} from './poller.support.js';
import {startEnforceFixture, startRunning, waitForEnforcement, type EnforceFixture} from './enforce.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('enforce: an overrunning job', () => {
  let f: EnforceFixture;
  let job: string;
  beforeAll(async () => {
    f = await startEnforceFixture(projectId, {rules: [{name: 'max-run', kind: 'max-run-time', limit: '10h'}]});
    job = await f.seed({team: 'vision'});
    await startRunning(f);
  });
  afterAll(async () => f?.close());

  it('schedules the job for the warning threshold as soon as it is seen running', async () => {
    const state = await f.firestore.collection('nasmonEnforcement').doc(job.replaceAll('/', '~')).get();
    const started = Date.parse((await f.client.getNasJob(job)).startTime!);

    expect(state.get('dueAt').toMillis()).toBe(started + 8 * 3_600_000);
    expect(await f.tick()).toMatchObject({due: 0, actions: 0});
  });

  it('warns at 80% of the limit', async () => {
    await f.advanceToHours(job, 8);
    await f.tick();

    expect(await waitForEnforcement(f, job, 1)).toEqual(['warn']);
    expect(await f.cancelCalls()).toBe(0);
  });

  it('cancels at the limit, after reading the job from Vertex', async () => {
    await f.advanceToHours(job, 10);
    await f.tick();
    await f.tick();

    expect(await waitForEnforcement(f, job, 2)).toEqual(['warn', 'cancel']);
    expect(await f.cancelCalls()).toBe(1);
    expect((await f.client.getNasJob(job)).state).toBe('JOB_STATE_CANCELLING');
  });

  it('confirms the cancel when the poller sees the job end CANCELLED', async () => {
    await f.pollAndDeliver(); // CANCELLING: nothing to say yet
    expect(f.enforcementOf(job)).toEqual(['warn', 'cancel']);

    await f.sim.advance(300); // cancelSeconds is 30–120
    await f.pollAndDeliver();

    expect(await waitForEnforcement(f, job, 3)).toEqual(['warn', 'cancel', 'cancel-confirmed']);
    const truth = (await trueHistory(f.sim)).get(job)!;
    expect(truth.states.map(s => s.state).slice(-3)).toEqual(['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']);
  });

  it('has written each action once to the audit trail, and stopped looking at the job', async () => {
    expect(await f.auditOf(job)).toEqual(['max-run/warn/0.8', 'cancel', 'cancel-attempt/1', 'cancel-confirmed']);
    const audit = await f.firestore.collection('nasmonAudit').doc(`enforce~${job.replaceAll('/', '~')}~cancel`).get();
    expect(audit.data()).toMatchObject({caller: 'nasmon:enforce', action: 'cancel', rule: 'max-run', dryRun: false, target: job, eventId: `${job}/enforcement/cancel`});

    await f.sim.advance(24 * 3600);
    await f.tick();
    await f.pollAndDeliver();
    expect(await waitForEnforcement(f, job, 3)).toHaveLength(3);
    expect(await f.cancelCalls()).toBe(1);
    const ids = f.received.filter(event => event.type === 'nasmon.nasjob.v1.enforcement').map(event => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
