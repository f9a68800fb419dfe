// Vertex's side of a cancel going wrong, as the simulator really answers it: a 503 (retried at a
// later tick, never announced twice), a FAILED_PRECONDITION because the job had just finished, and a
// job that ends SUCCEEDED although it was cancelled. Each job asks for its own limit by label, so
// each test's tick reaches only its own job's limit.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {cancelPrecededBy, startEnforceFixture, startRunning, waitForEnforcement, type EnforceFixture} from './enforce.support.js';

const projectId = testProjectId(import.meta.url);
const HOURS = 'nasmon-max-run-hours';

describeWithEmulators('enforce: Vertex faults on cancel', () => {
  let f: EnforceFixture;
  let unavailable: string;
  let finished: string;
  let racing: string;
  beforeAll(async () => {
    f = await startEnforceFixture(projectId, {
      rules: [{name: 'max-run', kind: 'max-run-time', limit: '10h', warnAt: 0.9, override: {label: HOURS, max: '100h'}}],
    });
    unavailable = await f.seed({[HOURS]: '10'});
    finished = await f.seed({[HOURS]: '20'});
    racing = await f.seed({[HOURS]: '30', 'sim-cancel': 'race-succeeded'});
    await startRunning(f);
  });
  afterAll(async () => f?.close());

  it('retries a cancel that met 503 at a later tick, announcing it once', async () => {
    await f.sim.fault({kind: 'unavailable', count: 1, method: 'POST', pathContains: `${unavailable.split('/').pop()}:cancel`});
    await f.advanceToHours(unavailable, 10);
    await f.tick();
    expect(await f.cancelCalls()).toBe(1);
    expect(f.logged('cancel failed; retrying at the next tick')).toEqual([expect.objectContaining({job: unavailable, outcome: 'retry'})]);

    await f.tick(); // the same minute: not due again yet
    expect(await f.cancelCalls()).toBe(1);
    await f.sim.advance(120);
    await f.tick();
    expect(await f.cancelCalls()).toBe(2);

    await f.pollAndDeliver();
    await f.sim.advance(300);
    await f.pollAndDeliver();
    expect(await waitForEnforcement(f, unavailable, 2)).toEqual(['cancel', 'cancel-confirmed']);
  });

  it('records a FAILED_PRECONDITION from a job that finished just before the cancel, without retrying', async () => {
    await f.advanceToHours(finished, 20);
    const vertex = cancelPrecededBy(f.client, async name => (name === finished ? f.sim.force(name, 'JOB_STATE_SUCCEEDED') : undefined));
    const before = await f.cancelCalls();
    await f.tick({vertex});
    await f.sim.advance(60);
    await f.tick({vertex});

    expect((await f.cancelCalls()) - before).toBe(1);
    expect(f.logged('Vertex refused the cancel')).toEqual([expect.objectContaining({job: finished, outcome: 'refused'})]);
    const attempt = await f.firestore.collection('nasmonAudit').doc(`enforce~${finished.replaceAll('/', '~')}~cancel-attempt~1`).get();
    expect(attempt.data()).toMatchObject({outcome: 'refused', message: expect.stringContaining('FAILED_PRECONDITION')});

    await f.pollAndDeliver(); // the poller sees SUCCEEDED: the job ended without the cancel
    expect(await waitForEnforcement(f, finished, 2)).toEqual(['cancel', 'cancel-failed']);
  });

  it('reports cancel-failed for a job that ends SUCCEEDED despite the cancel', async () => {
    await f.advanceToHours(racing, 30);
    await f.tick();
    await f.pollAndDeliver();
    await f.sim.advance(300);
    await f.pollAndDeliver();

    expect(await waitForEnforcement(f, racing, 2)).toEqual(['cancel', 'cancel-failed']);
    const failed = f.received.find(event => event.id === `${racing}/enforcement/cancel-failed`)!;
    expect(failed.data.reason).toMatch(/^the job ended JOB_STATE_SUCCEEDED despite the cancel \(1 attempt, seen CANCELLING\)/);
  });
});
