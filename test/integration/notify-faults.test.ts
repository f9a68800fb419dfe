// notify when its peers misbehave: Slack answering 429, 500 and 404, an SMTP server that drops the
// connection or refuses the recipient, and an invocation that dies between claiming a group and
// sending it. Transient trouble must fail the invocation (Pub/Sub redelivers) and the redelivery
// must send exactly what is missing; a permanent refusal must be logged, recorded and not retried.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {createSlackWebhookPoster} from '../../shared/adapters/slack/slack-webhook-poster.js';
import {createSmtpMailSender} from '../../shared/adapters/smtp/smtp-mail-sender.js';
import type {OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {isNasmonError} from '../../shared/errors.js';
import {aNasJob} from '../factories.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {failedJob, notifyEventOf} from '../notify-events.js';
import {HOOKS, ManualClock, startNotifyFixture, type NotifyFixture} from './notify.support.js';
import {SMTP_USER} from './notify-peers.support.js';
import {startBlackHole} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
const PARENT = 'projects/123456789012/locations/us-central1';

describeWithEmulators('notify when Slack or SMTP fail', () => {
  let f: NotifyFixture;
  let jobs = 0;
  beforeAll(async () => {
    f = await startNotifyFixture(projectId, {notifications: {routes: [
      {name: 'revoked-webhook', match: {labels: {route: 'revoked'}}, to: ['revoked-slack']},
      {name: 'refusing-mailbox', match: {labels: {route: 'refusing'}}, to: ['refusing-mail']},
    ]}});
  });
  beforeEach(() => {
    f.lines.length = 0;
  });
  afterAll(async () => f?.close());

  /** A new job that failed, as the poller recorded and published it; returns its state-change event. */
  async function failure(displayName: string, labels: Record<string, string> = {team: 'vision'}): Promise<OutboundEvent> {
    const job = aNasJob({name: `${PARENT}/nasJobs/${2_000_000 + ++jobs}`, displayName, labels});
    await f.observe(job, '2025-07-20T10:30:00Z');
    const [event] = await f.observe(aNasJob({...job, ...failedJob()}), '2025-07-20T12:05:00Z');
    return event!;
  }
  const slackFor = (displayName: string, path = HOOKS.vision) => f.slack.calls.filter(call => call.path === path && call.body.text.includes(`${displayName}:`));
  const mailsFor = (displayName: string) => f.smtp.mails.filter(mail => mail.subject.includes(`${displayName}:`));
  const codeOf = async (work: Promise<void>) => work.then(() => 'resolved', (error: unknown) => (isNasmonError(error) ? error.code : String(error)));

  it('waits out a short Retry-After from Slack and then sends once', async () => {
    const event = await failure('job-429-short');
    f.slack.answer(HOOKS.vision, {status: 429, headers: {'retry-after': '2'}, body: 'rate_limited'});

    await f.deliver(event);

    expect(f.retryWaits).toContain(2000);
    expect(slackFor('job-429-short').map(call => call.status)).toEqual([429, 200]);
    expect(mailsFor('job-429-short')).toHaveLength(1);
  });

  it('fails the invocation on a long Retry-After; the redelivery sends Slack once and the email not again', async () => {
    const event = await failure('job-429-long');
    f.slack.answer(HOOKS.vision, {status: 429, headers: {'retry-after': '300'}, body: 'rate_limited'});

    expect(await codeOf(f.deliver(event))).toBe('upstream-rate-limited');
    expect(mailsFor('job-429-long')).toHaveLength(1);
    expect(await codeOf(f.deliver(event))).toBe('resolved');

    expect(slackFor('job-429-long').map(call => call.status)).toEqual([429, 200]);
    expect(mailsFor('job-429-long')).toHaveLength(1);
  });

  it('fails the invocation when Slack answers 500, and the redelivery sends once', async () => {
    const event = await failure('job-500');
    f.slack.answer(HOOKS.vision, {status: 500, body: 'internal_error'});

    expect(await codeOf(f.deliver(event))).toBe('upstream-unavailable');
    expect(f.logged('could not hand the group back')).toEqual([]);
    await f.deliver(event);

    expect(slackFor('job-500').map(call => call.status)).toEqual([500, 200]);
    expect(mailsFor('job-500')).toHaveLength(1);
  });

  it('fails the invocation when the Slack endpoint drops the connection, naming the webhook but not its URL', async () => {
    const event = await failure('job-slack-down');
    const down = await startBlackHole();
    const deadSlack = createSlackWebhookPoster({webhooks: new Map([['vision', `http://127.0.0.1:${down.port}${HOOKS.vision}`]]), timeoutMs: 5000});
    try {
      const error = await f.deliver(event, {slack: deadSlack}).then(() => undefined, (thrown: unknown) => thrown as Error);
      expect(error?.message).toMatch(/^Slack webhook "vision" could not be reached: /);
      expect(error?.message).not.toContain('secret-token');
    } finally {
      down.close();
    }
    await f.deliver(event);

    expect(slackFor('job-slack-down')).toHaveLength(1);
    expect(mailsFor('job-slack-down')).toHaveLength(1);
  });

  it('records a revoked webhook (404) as refused for good, says so in the log, and never retries it', async () => {
    const event = await failure('job-revoked', {team: 'vision', route: 'revoked'});
    f.slack.answer(HOOKS.revoked, {status: 404, body: 'no_service'}, {status: 404, body: 'no_service'});

    await f.deliver(event);
    await f.deliver(event);

    expect(slackFor('job-revoked', HOOKS.revoked).map(call => call.status)).toEqual([404]);
    expect(f.logged('refused the notification for good')).toEqual([
      expect.objectContaining({severity: 'ERROR', channel: 'revoked-slack', reason: 'Slack webhook "revoked" answered 404 no_service'}),
    ]);
    expect(await f.sentRecords(event.jobName, 'revoked-slack')).toEqual([
      expect.objectContaining({state: 'rejected', detail: 'Slack webhook "revoked" answered 404 no_service'}),
    ]);
  });

  it('fails the invocation when the SMTP server drops the connection; the redelivery sends the email once and Slack not again', async () => {
    const event = await failure('job-smtp-down');
    const down = await startBlackHole();
    const deadMail = createSmtpMailSender({url: `smtp://${SMTP_USER.user}:${SMTP_USER.password}@127.0.0.1:${down.port}`, from: 'nasmon@example.com', timeoutMs: 5000});
    try {
      expect(await codeOf(f.deliver(event, {mail: deadMail}))).toBe('upstream-unavailable');
    } finally {
      down.close();
    }
    expect(slackFor('job-smtp-down')).toHaveLength(1);
    expect(mailsFor('job-smtp-down')).toHaveLength(0);

    await f.deliver(event);

    expect(slackFor('job-smtp-down')).toHaveLength(1);
    expect(mailsFor('job-smtp-down')).toHaveLength(1);
  });

  it('records a recipient the SMTP server refuses (550) and does not retry it', async () => {
    const event = await failure('job-refused-mail', {team: 'vision', route: 'refusing'});

    await f.deliver(event);
    await f.deliver(event);

    const [record, ...more] = await f.sentRecords(event.jobName, 'refusing-mail');
    expect(more).toEqual([]);
    expect(record).toMatchObject({state: 'rejected'});
    expect(record!.detail).toMatch(/^the SMTP server answered 550 to RCPT TO \(.*no such mailbox here\)$/);
    expect(f.logged('refused the notification for good')).toHaveLength(1);
  });

  it('sends again after an invocation died between claiming and sending, once its lease ran out (at least once)', async () => {
    const event = await failure('job-crashed-holder');
    const clock = new ManualClock(Date.now());
    const key = {subject: event.jobName, channel: 'vision-slack'};
    // The crashed invocation: it recorded the event, claimed the group, and never finished.
    const {duties} = await f.deps.store.enqueue(key, notifyEventOf(event), 'crashed', clock.nowMs, f.deps.timing);
    expect(await f.deps.store.claim(key, duties.flushOpen!, 'crashed', clock.nowMs, f.deps.timing)).toMatchObject({kind: 'claimed'});

    // Its event comes back: the redelivery finds the group pending and watches it, sending nothing.
    const redelivery = f.deliver(event, {now: clock.now, sleep: clock.sleep});
    await until(() => clock.sleeping === 1);
    expect(slackFor('job-crashed-holder')).toHaveLength(0);
    expect(f.logged('event already recorded for this channel')).toEqual([expect.objectContaining({channel: 'vision-slack', status: 'pending'})]);

    // The lease runs out with no word from the holder: the redelivery takes over and sends.
    clock.advance(f.deps.timing.leaseMs);
    await redelivery;
    await f.deliver(event, {now: clock.now, sleep: clock.sleep});

    expect(slackFor('job-crashed-holder')).toHaveLength(1);
    expect(mailsFor('job-crashed-holder')).toHaveLength(1);
    expect(await f.sentRecords(event.jobName, 'vision-slack')).toEqual([expect.objectContaining({state: 'sent', eventCount: 1})]);
  });

  it('never wrote a webhook URL or the SMTP password into a log line, failures included', () => {
    expect(f.allLines.some(line => line.includes('"severity":"ERROR"'))).toBe(true);
    expect(f.allLines.join('\n')).not.toMatch(/secret-token|smtp-secret-pw/);
  });
});

async function until(condition: () => boolean): Promise<void> {
  // Bounded by the test's own timeout; polls, never asserts on elapsed time.
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 20));
}
