// notify wired as in production: the composition root (functions/wiring) is built from the
// environment and a policy file; the poller's store records a job failing (mirror, history, outbox)
// and the poller's publisher puts its events on a Pub/Sub emulator topic, whose push subscription
// delivers them into the real `notify` target served by the functions framework. The failure must
// arrive as one Slack message and one email, with Vertex's error text.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import type {PubSub} from '@google-cloud/pubsub';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import {createPubSubEventPublisher} from '../../shared/adapters/pubsub/index.js';
import {createLogger} from '../../shared/log.js';
import {aNasJob} from '../factories.js';
import {describeWithEmulators, emulatorFirestore, emulatorPubSub, resetFirestore, testProjectId, uniqueName} from '../harness/emulators.js';
import {failedJob, trials, withTrials} from '../notify-events.js';
import {notifyPolicyText} from './notify.support.js';
import {startMailServer, startWebhookReceiver, type MailServer, type WebhookReceiver} from './notify-peers.support.js';

const projectId = testProjectId(import.meta.url);
const topicName = uniqueName('nasjob-events');
const HOOK = '/services/T9/B9/e2e-secret-token';

describeWithEmulators('notify behind a Pub/Sub push subscription, configured from the environment', () => {
  let pubsub: PubSub;
  let server: Server;
  let slack: WebhookReceiver;
  let smtp: MailServer;

  beforeAll(async () => {
    await resetFirestore(projectId);
    [slack, smtp] = await Promise.all([startWebhookReceiver(), startMailServer()]);
    const policyFile = join(mkdtempSync(join(tmpdir(), 'nasmon-notify-')), 'policy.json');
    writeFileSync(policyFile, notifyPolicyText());
    Object.assign(process.env, {
      GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: 'nas-prod/us-central1', NASMON_EVENTS_TOPIC: topicName, NASMON_POLICY: policyFile,
      NASMON_SLACK_WEBHOOKS: JSON.stringify({vision: slack.url(HOOK), revoked: slack.url('/unused')}),
      NASMON_SMTP_URL: smtp.url(), NASMON_EMAIL_FROM: 'nasmon <nasmon@example.com>', NASMON_NOTIFY_GROUP_SECONDS: '1',
    });
    await import('../../functions/index.js');
    server = getTestServer('notify').listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    const pushEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/${topicName}`;
    pubsub = emulatorPubSub(projectId);
    const [topic] = await pubsub.createTopic(topicName);
    await topic.createSubscription(uniqueName('notify-push'), {pushConfig: {pushEndpoint}, ackDeadlineSeconds: 120});
  });

  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
    await pubsub?.close();
    await Promise.all([slack?.close(), smtp?.close()]);
  });

  it('turns a job failure the poller recorded into one Slack message and one email', async () => {
    // Arrange: the poller's own store and publisher, as pollTarget uses them.
    const firestore = emulatorFirestore(projectId);
    const store = createFirestorePollStore({firestore, log: createLogger({}, () => {})});
    const publisher = createPubSubEventPublisher({pubsub, topicName});
    const target = {project: 'nas-prod', location: 'us-central1'};
    const job = aNasJob({displayName: 'mnasnet-search', ...withTrials(trials(4))});
    await store.acquireLease(target, 'e2e-poller', 60_000);
    await store.recordObservations(target, 'e2e-poller', [{kind: 'seen', name: job.name, job}], '2025-07-20T10:30:00Z');
    const batches = await store.recordObservations(target, 'e2e-poller', [{kind: 'seen', name: job.name, job: aNasJob({...job, ...failedJob()})}], '2025-07-20T12:05:00Z');

    // Act: publish what the poller committed.
    await publisher.publish(batches.flatMap(batch => batch.events));
    await until(() => slack.accepted(HOOK).length > 0 && smtp.mails.length > 0);

    // Assert
    const [message, ...moreSlack] = slack.accepted(HOOK);
    expect(moreSlack).toEqual([]);
    expect(message!.text).toBe(':x: mnasnet-search: RUNNING → FAILED');
    expect(JSON.stringify(message!.blocks)).toContain('RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.');
    const [mail, ...moreMail] = smtp.mails;
    expect(moreMail).toEqual([]);
    expect(mail).toMatchObject({to: ['vision-oncall@example.com'], subject: '[nasmon] mnasnet-search: RUNNING → FAILED (nas-prod/us-central1)'});
    expect(mail!.text).toContain('RESOURCE_EXHAUSTED (8): The job ran out of NVIDIA_TESLA_T4 quota in us-central1.');
    await firestore.terminate();
  }, 60_000);
});

async function until(condition: () => boolean): Promise<void> {
  // Bounded by the test's timeout; polls, never asserts on elapsed time.
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 100));
}
