// notify's entry point fed what Pub/Sub may really deliver: malformed envelopes, payloads that are
// not nasmon events, types it does not know. Each must be acknowledged with one clear log line and
// touch nothing (no retry storm); a delivery it could not handle must fail so Pub/Sub redelivers.
// Served by the real functions framework too: acknowledged means 2xx, redeliver means 5xx.
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import * as ff from '@google-cloud/functions-framework';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {notifyEntry} from '../../functions/notify.js';
import {ConfigError} from '../../shared/config.js';
import type {NotifyDeps} from '../../shared/use-cases/notify/notify-ports.js';
import {aNasJob} from '../factories.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {failedJob, pushDataOf} from '../notify-events.js';
import {HOOKS, startNotifyFixture, type NotifyFixture} from './notify.support.js';

const projectId = testProjectId(import.meta.url);
const b64 = (text: string) => Buffer.from(text).toString('base64');
let current: () => Promise<NotifyDeps>;
let f: NotifyFixture;
ff.cloudEvent('notifyUnderTest', (event: CloudEvent<unknown>) => notifyEntry(() => current(), f.deps.log)(event));

/** A Pub/Sub CloudEvent as the functions framework hands it to a cloudEvent function. */
const pubsubEvent = (data: unknown, id = 'm-1'): CloudEvent<unknown> => ({
  specversion: '1.0', id, type: 'google.cloud.pubsub.topic.v1.messagePublished', source: `//pubsub.googleapis.com/projects/${projectId}/topics/nasjob-events`, data,
});

describeWithEmulators('notify called with what Pub/Sub delivers', () => {
  let failure: ReturnType<typeof pushDataOf>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    f = await startNotifyFixture(projectId);
    current = async () => f.deps;
    const job = aNasJob();
    await f.observe(job, '2025-07-20T10:30:00Z');
    failure = pushDataOf((await f.observe(aNasJob({...job, ...failedJob()}), '2025-07-20T12:05:00Z'))[0]!);
    server = getTestServer('notifyUnderTest').listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/nasjob-events`;
  });
  beforeEach(() => {
    f.lines.length = 0;
    current = async () => f.deps;
  });
  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
    await f?.close();
  });

  const withAttributes = (attributes: Record<string, string>) => ({message: {...failure.message, attributes}});
  const withData = (data: unknown) => ({message: {...failure.message, data: b64(JSON.stringify(data))}});

  it.each<[string, string, () => unknown]>([
    ['an empty body', 'message', () => ({})],
    ['no data at all', 'message', () => undefined],
    ['data that is not base64', 'message.data', () => ({message: {...failure.message, data: '%%% not base64 %%%'}})],
    ['data that is not JSON', 'message.data', () => ({message: {...failure.message, data: b64('state=FAILED')}})],
    ['no ce-id attribute', 'message.attributes.ce-id', () => withAttributes(Object.fromEntries(Object.entries(failure.message.attributes).filter(([key]) => key !== 'ce-id')))],
    ['no ce-type attribute', 'message.attributes.ce-type', () => withAttributes({'ce-id': 'x'})],
    ['a payload that is a list', 'data', () => withData([1, 2])],
    ['a state change without its job', 'data.job', () => withData({state: 'JOB_STATE_FAILED', previousState: 'JOB_STATE_RUNNING', sequence: 2})],
  ])('acknowledges a delivery with %s, logging the field "%s", and sends nothing', async (_, field, data) => {
    await expect(notifyEntry(() => current(), f.deps.log)(pubsubEvent(data()))).resolves.toBeUndefined();

    expect(f.logged('dropping a malformed message')).toEqual([expect.objectContaining({severity: 'ERROR', fn: 'notify', field})]);
    expect([f.slack.calls.length, f.smtp.mails.length, await f.deliveryCount()]).toEqual([0, 0, 0]);
  });

  it('acknowledges an event of a type it does not know with a warning naming the type', async () => {
    const event = pubsubEvent({message: {...failure.message, attributes: {...failure.message.attributes, 'ce-type': 'nasmon.nasjob.v2.newThing'}}});

    await expect(notifyEntry(() => current(), f.deps.log)(event)).resolves.toBeUndefined();

    expect(f.logged('ignoring an event of a type notify does not know')).toEqual([
      expect.objectContaining({severity: 'WARNING', ceType: 'nasmon.nasjob.v2.newThing'}),
    ]);
    expect([f.slack.calls.length, await f.deliveryCount()]).toEqual([0, 0]);
  });

  it('fails when it is misconfigured, so the event waits in Pub/Sub for a fixed deploy', async () => {
    current = () => Promise.reject(new ConfigError(['NASMON_SMTP_URL: required by email channel "vision-mail" of policy.yaml']));

    await expect(notifyEntry(() => current(), f.deps.log)(pubsubEvent(failure))).rejects.toThrow(ConfigError);
    expect(f.logged('invocation failed')).toEqual([expect.objectContaining({severity: 'ERROR', fn: 'notify'})]);
  });

  it('answers 204 over HTTP to a malformed push, so Pub/Sub does not redeliver it', async () => {
    const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({message: {data: '***', messageId: '9'}, subscription: 'notify-push'})});

    expect(response.status).toBe(204);
    expect(f.logged('dropping a malformed message')).toEqual([expect.objectContaining({field: 'message.data'})]);
  });

  it('answers 500 while Slack is failing and 204 once the redelivery got through, sending one message', async () => {
    f.slack.answer(HOOKS.vision, {status: 503, body: 'service_unavailable'});
    const push = () => fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({...failure, subscription: 'notify-push'})});

    expect((await push()).status).toBe(500);
    expect((await push()).status).toBe(204);

    expect(f.slack.accepted(HOOKS.vision)).toHaveLength(1);
    expect(f.smtp.mails).toHaveLength(1);
  });
});
