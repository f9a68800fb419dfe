// The ground-truth checker on a real run: the poller over the simulator (real HTTP) and the Firestore
// and Pub/Sub emulators, cycle by cycle on the simulator's clock, with a cancel and a deletion made
// while it runs. The checker must find nothing; then, with a history document edited in Firestore,
// an event dropped, audit entries forged and a cancel nobody recorded, it must find each of them.
// It reads the records the way any later run can: collectTruthRecords plus a recording subscription.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId, uniqueName} from '../harness/emulators.js';
import {startPollerFixture, storedHistory, TARGET, trueHistory, type PollerFixture} from '../integration/poller.support.js';
import {checkGroundTruth, type GroundTruthOptions} from './check-ground-truth.js';
import {collectTruthRecords} from './collect-truth-records.js';
import {recordEvents} from './event-recorder.js';
import type {ReceivedEvent} from './truth-records.js';

const projectId = testProjectId(import.meta.url);
/** Simulated seconds between two cycles: the poll interval of this run. */
const INTERVAL_S = 60;
const CYCLES = 14;
const TERMINAL = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED']);

describeWithEmulators('the ground-truth checker on a real poller run', () => {
  let f: PollerFixture;
  let recorder: ReturnType<typeof recordEvents>;
  const externalCancels: Record<string, number> = {};
  // Any state held a whole interval contains a poll instant; twice that leaves no doubt.
  const options = (): GroundTruthOptions => ({visibleAfterMs: 2 * INTERVAL_S * 1000, externalCancels});

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    const [subscription] = await f.pubsub.topic(f.topicName).createSubscription(uniqueName('truth'), {enableMessageOrdering: true});
    recorder = recordEvents(subscription);
    await f.lease();
    await f.admin('POST', 'quota', {readsPerMinute: 1e6, writesPerMinute: 1e6});
    // No cancel races: RUNNING > CANCELLING > SUCCEEDED seen as RUNNING > SUCCEEDED is a gap no poller
    // could flag (a limit of polling, which the checker would rightly report).
    await f.admin('POST', 'config', {cancelRaceProbability: 0, pendingSeconds: [60, 300], trialRunSeconds: [120, 400], capacityFailSeconds: [120, 400]});
    await f.admin('POST', 'jobs:seed', {
      project: TARGET.project, location: TARGET.location, count: 24, maxTrialCount: 2, maxParallelTrialCount: 2,
      scenarioMix: {'succeed': 0.5, 'fail-capacity': 0.2, 'fail-trials': 0.1, 'stuck-running': 0.2},
    });
  });
  afterAll(async () => {
    await recorder?.stop();
    await f?.close();
  });

  /** Waits until the event of every history entry has arrived, then a moment for stragglers. */
  async function settledEvents(): Promise<ReceivedEvent[]> {
    const wanted = (await f.firestore.collectionGroup('history').get()).docs.map(doc => String(doc.get('eventId')));
    const deadline = Date.now() + 15_000;
    while (wanted.some(id => !recorder.events.some(event => event.id === id)) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    await new Promise(r => setTimeout(r, 300));
    return [...recorder.events];
  }

  it('finds nothing wrong with a clean run that cancels and deletes jobs', async () => {
    const settings = {sweepEveryMs: INTERVAL_S * 1000}; // every cycle lists all jobs, so deletions are seen
    let deleted: string | undefined;
    await f.cycle({}, settings);
    for (let step = 1; step <= CYCLES; step++) {
      await f.sim.advance(INTERVAL_S / 2);
      const jobs = [...(await trueHistory(f.sim)).values()];
      if (step === 3) {
        const running = jobs.find(job => job.states.at(-1)?.state === 'JOB_STATE_RUNNING')!;
        await f.vertex.cancelNasJob(running.name);
        externalCancels[running.name] = 1;
      }
      if (step === 8) {
        // A job whose end nasmon saw: a deletion then follows a recorded terminal state.
        for (const job of jobs.filter(j => TERMINAL.has(j.states.at(-1)?.state ?? ''))) {
          if (!TERMINAL.has((await storedHistory(f.firestore, job.name)).at(-1)?.state ?? '')) continue;
          await f.vertex.deleteNasJob(job.name);
          deleted = job.name;
          break;
        }
      }
      await f.sim.advance(INTERVAL_S / 2);
      await f.cycle({}, settings);
    }
    const records = await collectTruthRecords({simulatorUrl: f.sim.url, firestore: f.firestore, events: await settledEvents()});
    const report = checkGroundTruth(records, options());
    console.log(report.format());
    expect(report.findings, report.format()).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.scanned.jobs).toBe(24);
    expect(report.scanned.recordedTransitions).toBeGreaterThan(50);
    expect(report.scanned.servedCancels).toBe(1);
    expect(deleted).toBeDefined();
    expect(records.history.some(entry => entry.job === deleted && entry.state === 'DELETED')).toBe(true);
  }, 90_000);

  it('then reports a tampered history document, a dropped event, forged audit entries and an unrecorded cancel', async () => {
    const truth = [...(await trueHistory(f.sim)).values()];
    const history = await Promise.all(truth.map(async job => ({name: job.name, entries: await storedHistory(f.firestore, job.name)})));
    const [edited, dropped] = history.filter(job => job.entries.length >= 3);
    // 1. A history document edited in place: a state the job never held.
    await f.firestore.doc(`nasJobs/${edited!.name.replaceAll('/', '~')}/history/000002`).update({state: 'JOB_STATE_PAUSED'});
    // 2. An event lost on the way: the test drops it from what the subscriber received.
    const droppedId = dropped!.entries[1]!.eventId;
    const events = (await settledEvents()).filter(event => event.id !== droppedId);
    // 3. A gate decision audited without its request event, and an enforcement action audited twice.
    const victim = truth.find(job => job.states.at(-1)?.state === 'JOB_STATE_RUNNING' && !externalCancels[job.name])!;
    await f.firestore.doc('nasmonAudit/forged-gate-entry').set({caller: 'mallory@example.com', action: 'get', target: victim.name, verdict: 'denied'});
    for (const id of ['one', 'two']) {
      await f.firestore.doc(`nasmonAudit/enforce~${victim.name.replaceAll('/', '~')}~forged-${id}`).set({source: 'enforce', target: victim.name, key: 'max-run-time/warn/0.8', action: 'warn'});
    }
    // 4. A cancel that reached Vertex with no record in nasmon.
    await f.vertex.cancelNasJob(victim.name);

    const report = checkGroundTruth(await collectTruthRecords({simulatorUrl: f.sim.url, firestore: f.firestore, events}), options());
    const lines = report.findings.map(finding => `${finding.kind} ${finding.job}: ${finding.line}`);
    console.log(report.format(3));
    expect(report.passed).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^orderViolation ${edited!.name}: JOB_STATE_PAUSED \\(sequence 2\\) is not next in the true order`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^eventWithoutRecord ${edited!.name}: stateChanged sequence 2 .* does not match its history entry: state JOB_STATE_PAUSED in history`)));
    expect(lines).toContainEqual(`recordWithoutEvent ${dropped!.name}: ${dropped!.entries[1]!.state} (sequence 2) was recorded, but its event ${droppedId} never arrived`);
    expect(lines).toContainEqual(`recordWithoutEvent ${victim.name}: gate audit entry forged-gate-entry (get denied by mallory@example.com) has no request event`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^enforcementTwice ${victim.name}: action max-run-time/warn/0.8 audited 2 times`)));
    expect(lines).toContainEqual(`enforcementTwice ${victim.name}: Vertex served 1 cancels (1 outside fault windows), more than enforce's 0 claimed attempts, 0 allowed through the gate and 0 by the test`);
  }, 60_000);
});
