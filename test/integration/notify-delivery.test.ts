// notify over real connections: Firestore on the emulator, a Slack stand-in over HTTP and an SMTP
// server, with the job mirror written by the poller's own store. One failed job must produce one
// Slack message and one email that say what happened, and a redelivery must produce nothing more.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {aNasJob} from '../factories.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {failedJob, trials, withTrials} from '../notify-events.js';
import {HOOKS, startNotifyFixture, type NotifyFixture} from './notify.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('notify delivering a failed job', () => {
  let f: NotifyFixture;
  const running = aNasJob({labels: {team: 'vision', env: 'prod'}, ...withTrials(trials(3))});
  let failure: Awaited<ReturnType<NotifyFixture['observe']>>;

  beforeAll(async () => {
    f = await startNotifyFixture(projectId);
    await f.observe(running, '2025-07-20T10:30:00Z');
    failure = await f.observe(aNasJob({...running, ...failedJob()}), '2025-07-20T12:05:00Z');
  });
  beforeEach(() => {
    f.lines.length = 0;
  });
  afterAll(async () => f?.close());

  it('sends one Slack message and one email with the facts a person needs', async () => {
    await f.deliver(failure[0]!);

    const [slack, ...moreSlack] = f.slack.accepted(HOOKS.vision);
    expect(moreSlack).toEqual([]);
    const blocks = JSON.stringify(slack!.blocks);
    expect(slack!.text).toBe(':x: search-job: RUNNING → FAILED');
    for (const fact of ['nas-prod/us-central1', '*Run time*\\n1h 59m', '*Time in RUNNING*\\n1h 59m', '3/20 succeeded', 'top_1_accuracy 0.503 (trial 3)',
      'RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.',
      'https://console.cloud.google.com/vertex-ai/locations/us-central1/nas/1000000000000000001?project=nas-prod']) {
      expect(blocks).toContain(fact);
    }
    const [mail, ...moreMail] = f.smtp.mails;
    expect(moreMail).toEqual([]);
    expect(mail).toMatchObject({from: 'nasmon@example.com', to: ['vision-oncall@example.com'], subject: '[nasmon] search-job: RUNNING → FAILED (nas-prod/us-central1)'});
    expect(mail!.text).toContain('Run time: 1h 59m\n');
    expect(mail!.text).toContain('Error:\nRESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.');
    expect(mail!.html).toContain('<th align="left" style="padding:2px 12px 2px 0;vertical-align:top">Time in RUNNING</th><td style="padding:2px 0">1h 59m</td>');
    expect(await f.sentRecords(failure[0]!.jobName, 'vision-slack')).toEqual([expect.objectContaining({gen: 1, state: 'sent', eventCount: 1})]);
  });

  it('sends nothing more when Pub/Sub redelivers the same event, one after another or at once', async () => {
    await f.deliver(failure[0]!);
    await Promise.all([f.deliver(failure[0]!), f.deliver(failure[0]!)]);

    expect(f.slack.accepted(HOOKS.vision)).toHaveLength(1);
    expect(f.smtp.mails).toHaveLength(1);
    expect(f.logged('event already recorded for this channel').map(line => line.status)).toEqual(['settled', 'settled', 'settled', 'settled', 'settled', 'settled']);
  });

  it('logs which rule routed the event where', async () => {
    await f.deliver(failure[0]!);

    expect(f.logged('routing event')).toEqual([expect.objectContaining({channels: ['vision-slack', 'vision-mail'], rules: ['default:terminal-state'], kind: 'stateChanged'})]);
  });

  it('never wrote a webhook URL or the SMTP password into a log line while delivering', () => {
    expect(f.allLines.length).toBeGreaterThan(0);
    expect(f.allLines.join('\n')).not.toMatch(/secret-token|smtp-secret-pw/);
  });
});
