// pollTarget behind the real functions framework, over HTTP: what a Pub/Sub push subscription sends.
// A malformed delivery must be answered 2xx (acknowledged), never 5xx, or Pub/Sub would redeliver it
// until the dead-letter topic takes it; a real failure must be answered 5xx, so it is redelivered.
// The target is registered under its own name with test dependencies: functions/poll-target.ts
// registers `pollTarget` with the production composition root, which this test must not build.
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import type {Deps} from '../../functions/deps.js';
import {pollTargetEntry} from '../../functions/poll-target.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {b64, NOTHING_WRITTEN, pollerDocs, testDeps} from './poller-functions.support.js';
import {startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
let current: Deps | undefined;
ff.cloudEvent('pollTargetUnderTest', pollTargetEntry(() => current!));

/** The body of a Pub/Sub push (the emulator sends the legacy wrapper, no ce- headers). */
const pushBody = (data: string, messageId = '4242') => ({
  message: {data, attributes: {}, messageId, publishTime: new Date().toISOString()},
  subscription: `projects/${projectId}/subscriptions/poll-targets-push`,
});

describeWithEmulators('pollTarget served by the functions framework', () => {
  let f: PollerFixture;
  let server: Server;
  let url: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {method: 'POST', headers: {'content-type': 'application/json', ...headers}, body: JSON.stringify(body)});

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.sim.seed(2);
    current = testDeps(f, projectId);
    server = getTestServer('pollTargetUnderTest').listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/poll-targets`;
  });
  beforeEach(() => {
    f.lines.length = 0;
  });
  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
    await f?.close();
  });

  it.each<[string, string, unknown, Record<string, string>?]>([
    ['a push whose data is not JSON', 'message.data', pushBody(b64('not json'))],
    ['a push for a target nobody configured', 'data', pushBody(b64(JSON.stringify({project: 'someone-else', location: 'us-east1', tickTime: new Date().toISOString()})))],
    ['a bare {}', 'message', {}],
    ['a binary-mode CloudEvent whose data is not base64', 'message.data', {message: {data: '***', messageId: '7'}}, {
      'ce-id': '7', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': `//pubsub.googleapis.com/projects/${projectId}/topics/poll-targets`,
    }],
  ])('answers 204 to %s and logs the field "%s"', async (_, field, body, headers) => {
    const response = await post(body, headers);
    expect(response.status).toBe(204);
    expect(f.logged('dropping a malformed message')).toEqual([expect.objectContaining({severity: 'ERROR', field})]);
    expect(await pollerDocs(f)).toEqual(NOTHING_WRITTEN);
  });

  it('answers 500 when the poll cannot run (the store is down), so Pub/Sub redelivers', async () => {
    const good = current!;
    current = {...good, poll: {...good.poll, store: {...good.poll.store, acquireLease: async () => Promise.reject(new Error('firestore down'))}}};
    try {
      const response = await post(pushBody(b64(JSON.stringify({...TARGET, tickTime: new Date().toISOString()}))));
      expect(response.status).toBe(500);
    } finally {
      current = good;
    }
    expect(f.logged('invocation failed')).toEqual([expect.objectContaining({severity: 'ERROR', eventId: '4242'})]);
    expect(await pollerDocs(f)).toEqual(NOTHING_WRITTEN);
  });

  it('answers 204 to a well-formed push after polling the target', async () => {
    const response = await post(pushBody(b64(JSON.stringify({...TARGET, tickTime: new Date().toISOString()})), '4343'));
    expect(response.status).toBe(204);
    expect(f.logged('poll cycle')).toEqual([expect.objectContaining({fn: 'pollTarget', eventId: '4343', observations: 2})]);
    expect(await pollerDocs(f)).toMatchObject({nasJobs: 2, nasmonLeases: 0});
  });
});
