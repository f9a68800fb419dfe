import {describe, expect, it} from 'vitest';
import {composeNotification} from '../../../../shared/core/notify/compose-notification.js';
import {jobFactsOf, type MirroredJob} from '../../../../shared/core/notify/job-facts.js';
import type {NotifyEvent} from '../../../../shared/core/notify/notify-event.js';
import {escapeHtml, toEmail} from '../../../../shared/core/notify/to-email.js';
import {toSlackMessage} from '../../../../shared/core/notify/to-slack-message.js';
import {DEFAULT_CONSOLE_JOB_URL} from '../../../../shared/config.js';
import {failedJob, JOB_NAME, notifyEventOf, pollEvents, trials, withTrials} from '../../../notify-events.js';

const MIRROR: MirroredJob = {
  project: 'nas-prod', location: 'us-central1', state: 'JOB_STATE_RUNNING', job: {labels: {team: 'vision'}, displayName: 'search-job'},
  metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
  stages: {search: {counts: {total: 12, running: 2, succeeded: 9, infeasible: 1, max: 20, maxFailed: 3}, best: {trialId: '7', value: 0.7123}}},
};

function render(events: NotifyEvent[], mirror: MirroredJob | null = MIRROR) {
  const notification = composeNotification(jobFactsOf(JOB_NAME, events, mirror ?? undefined), events, {consoleJobUrl: DEFAULT_CONSOLE_JOB_URL});
  return {notification, slack: toSlackMessage(notification), email: toEmail(notification)};
}

const failed = () => notifyEventOf(pollEvents(failedJob())[0]!);
const slackText = (message: ReturnType<typeof toSlackMessage>) => JSON.stringify(message.blocks);

describe('a notification of a failed job', () => {
  const {notification, slack, email} = render([failed()]);

  it('leads with the display name and the transition', () => {
    expect(notification.title).toBe('search-job: RUNNING → FAILED');
    expect(slack.blocks[0]).toEqual({type: 'header', text: {type: 'plain_text', text: ':x: search-job: RUNNING → FAILED', emoji: true}});
    expect(email.subject).toBe('[nasmon] search-job: RUNNING → FAILED (nas-prod/us-central1)');
  });

  it('states where, how long it ran, how long it was in the previous state, trials and the best metric', () => {
    expect(notification.facts).toEqual([
      {label: 'Project / location', value: 'nas-prod/us-central1'},
      {label: 'Run time', value: '1h 59m'},
      {label: 'Trials (search)', value: '9/20 succeeded, 2 running, 1 infeasible of 3 allowed'},
      {label: 'Best (search)', value: 'top_1_accuracy 0.7123 (trial 7)'},
      {label: 'Labels', value: 'team=vision'},
      {label: 'Transition', value: 'RUNNING → FAILED'},
      {label: 'Time in RUNNING', value: '1h 59m'},
    ]);
  });

  it('quotes Vertex\'s error with its canonical code', () => {
    expect(notification.error).toBe('RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.');
    expect(slackText(slack)).toContain('*Error*\\n```RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.```');
    expect(email.text).toContain('Error:\nRESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.');
    expect(email.html).toContain('<pre style="white-space:pre-wrap">RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.</pre>');
  });

  it('links the job in the Cloud console, in both renderings', () => {
    const url = 'https://console.cloud.google.com/vertex-ai/locations/us-central1/nas/1000000000000000001?project=nas-prod';

    expect(notification.link).toEqual({text: 'Open in the Cloud console', url});
    expect(slack.blocks).toContainEqual({type: 'actions', elements: [{type: 'button', text: {type: 'plain_text', text: 'Open in the Cloud console'}, url}]});
    expect(email.text).toContain(`Open in the Cloud console: ${url}`);
    expect(email.html).toContain(`<a href="${url.replace('&', '&amp;')}">`);
  });

  it('says the same facts in the plain-text and HTML email', () => {
    for (const fact of notification.facts) {
      expect(email.text).toContain(`${fact.label}: ${fact.value}`);
      expect(email.html).toContain(`${escapeHtml(fact.label)}</th><td style="padding:2px 0">${escapeHtml(fact.value)}</td>`);
    }
  });

  it('uses the project number of the name when the mirror does not know the job', () => {
    expect(render([failed()], null).notification.facts[0]).toEqual({label: 'Project / location', value: '123456789012/us-central1'});
  });
});

describe('text from outside the code', () => {
  const hostile = '<!channel> & <script>alert(1)</script>\r\nBcc: victim@example.com';
  const event = notifyEventOf(pollEvents(failedJob({displayName: hostile, error: {code: 13, message: 'boom <b>```', details: []}}))[0]!);
  const {slack, email} = render([event], null);

  it('is escaped for Slack, so it cannot mention a channel or add links', () => {
    expect(slack.text).not.toContain('<!channel>');
    expect(slack.text).toContain('&lt;!channel&gt; &amp; &lt;script&gt;');
    expect(slackText(slack)).toContain("boom &lt;b&gt;'''");
  });

  it('is escaped in the HTML email and kept on one line in the subject', () => {
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain('<!channel> & <script>alert(1)</script> Bcc: victim@example.com: RUNNING → FAILED');
  });
});

describe('a burst of events for one job', () => {
  const burst = [...pollEvents({...failedJob(), ...withTrials(trials(49))})].map(notifyEventOf);
  const {notification, slack, email} = render(burst);

  it('leads with the state change and counts the rest', () => {
    expect(burst).toHaveLength(51);
    expect(notification.title).toBe('search-job: RUNNING → FAILED (+50 more updates)');
  });

  it('lists the sequence in order: all of it by email, the first 20 in Slack', () => {
    expect(notification.events[0]!.text).toBe('RUNNING → FAILED after 1h 59m in RUNNING');
    expect(notification.events[1]!.text).toBe('search trial 1: started as SUCCEEDED');
    expect(notification.events.at(-1)!.text).toBe('new best top_1_accuracy 0.549 in search trial 49 (first value)');
    expect(slackText(slack)).toContain('*51 updates, in order*');
    expect(slackText(slack)).toContain('… and 31 more');
    expect(email.text.match(/^ {2}12:05:00 {2}/gm)).toHaveLength(51);
  });

  it('stays within Slack\'s limits', () => {
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    for (const block of slack.blocks) expect(JSON.stringify(block).length).toBeLessThan(3500);
  });
});
