// A burst: 50 events of one job delivered at once, as Pub/Sub pushes them to concurrent invocations,
// must become one Slack message and one email listing the sequence, however they interleave, and
// redelivering all of them afterwards must send nothing. The grouping window ends when the test
// moves its clock, never on a timer, so the test cannot race.
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {aNasJob} from '../factories.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {failedJob, trials, withTrials} from '../notify-events.js';
import {HOOKS, ManualClock, startNotifyFixture, type NotifyFixture} from './notify.support.js';

const projectId = testProjectId(import.meta.url);
const WINDOW_MS = 30_000;

describeWithEmulators('notify grouping a burst of one job\'s events', () => {
  let f: NotifyFixture;
  const clock = new ManualClock();
  let burst: OutboundEvent[];

  beforeAll(async () => {
    f = await startNotifyFixture(projectId, {windowMs: WINDOW_MS, clock, notifications: {
      routes: [{name: 'everything-of-vision', match: {labels: {team: 'vision'}}, to: ['$team']}],
    }});
    const job = aNasJob();
    await f.observe(job, '2025-07-20T10:30:00Z');
    burst = await f.observe(aNasJob({...job, ...failedJob(), ...withTrials(trials(48))}), '2025-07-20T12:05:00Z');
  });
  afterAll(async () => f?.close());

  it('sends one message per channel for 50 events delivered concurrently', async () => {
    expect(burst).toHaveLength(50);
    const invocations = burst.map(event => f.deliver(event));

    // Each event is recorded once per channel (2 × 50 records); the holder of each channel's group
    // sleeps until the window ends. Only then does the clock move.
    await until(async () => clock.sleeping === 2 && (await f.deliveryCount()) === 100);
    expect(f.slack.calls).toHaveLength(0);
    clock.advance(WINDOW_MS);
    await Promise.all(invocations);

    const [message, ...moreSlack] = f.slack.accepted(HOOKS.vision);
    expect(moreSlack).toEqual([]);
    expect(message!.text).toBe(':x: search-job: RUNNING → FAILED (+49 more updates)');
    expect(JSON.stringify(message!.blocks)).toContain('*50 updates, in order*');
    const [mail, ...moreMail] = f.smtp.mails;
    expect(moreMail).toEqual([]);
    expect(mail!.text.match(/^ {2}12:05:00 {2}/gm)).toHaveLength(50);
    expect(mail!.text).toContain('  12:05:00  RUNNING → FAILED after 1h 59m in RUNNING\n  12:05:00  search trial 1: started as SUCCEEDED\n');
    expect(await f.sentRecords(burst[0]!.jobName, 'vision-slack')).toEqual([expect.objectContaining({gen: 1, state: 'sent', eventCount: 50})]);
  });

  it('sends nothing when the whole burst is redelivered', async () => {
    await Promise.all(burst.map(event => f.deliver(event)));

    expect(f.slack.calls).toHaveLength(1);
    expect(f.smtp.mails).toHaveLength(1);
  });

  it('opens a new group for the job\'s next event, after the burst was sent', async () => {
    const [deleted] = await f.observeGone(burst[0]!.jobName, '2025-07-20T13:00:00Z');
    const invocation = f.deliver(deleted!);
    await until(async () => clock.sleeping === 2);
    clock.advance(WINDOW_MS);
    await invocation;

    expect(f.slack.accepted(HOOKS.vision).map(message => message.text)).toEqual([
      ':x: search-job: RUNNING → FAILED (+49 more updates)', ':warning: search-job: deleted',
    ]);
    expect(await f.sentRecords(deleted!.jobName, 'vision-slack')).toEqual([
      expect.objectContaining({gen: 1, eventCount: 50}), expect.objectContaining({gen: 2, eventCount: 1}),
    ]);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  // Bounded by the test's own timeout; polls, never asserts on elapsed time.
  while (!(await condition())) await new Promise(resolve => setTimeout(resolve, 50));
}
