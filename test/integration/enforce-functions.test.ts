// The production wiring of enforce: the poller's events reach the real `enforce` target (served by
// the functions framework, dependencies built from the environment by functions/wiring) through a
// Pub/Sub emulator push subscription, and a scheduler message reaches `enforceTick` the same way.
// enforce's own events come back on the same topic and must be ignored.
import {mkdtempSync, writeFileSync} from 'node:fs';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId, uniqueName} from '../harness/emulators.js';
import {startPollerFixture, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
const ENFORCEMENT = 'nasmon.nasjob.v1.enforcement';

describeWithEmulators('the deployed enforce functions', () => {
  let f: PollerFixture;
  let late: string;
  let fresh: string;
  const servers: Server[] = [];
  const ticks = uniqueName('enforce-ticks');
  const enforcementOf = (job: string) => f.received.filter(e => e.type === ENFORCEMENT && e.attributes['ce-nasjob'] === job).map(e => String(e.data.action));

  async function pushInto(target: string, topic: string): Promise<void> {
    const server = getTestServer(target).listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    servers.push(server);
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/${target}`;
    await f.pubsub.topic(topic).createSubscription(uniqueName(`push-${target}`), {pushConfig: {pushEndpoint: endpoint}, ackDeadlineSeconds: 60});
  }

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    const policyPath = join(mkdtempSync(join(tmpdir(), 'nasmon-enforce-')), 'policy.json');
    writeFileSync(policyPath, JSON.stringify({version: 1, access: [], runtime: {rules: [{name: 'queue', kind: 'max-queue-time', limit: '30m'}]}}));
    Object.assign(process.env, {
      GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: `${TARGET.project}/${TARGET.location}`, VERTEX_API_ENDPOINT: f.sim.url,
      NASMON_VERTEX_STATIC_TOKEN: 'local-test', NASMON_EVENTS_TOPIC: f.topicName, NASMON_POLICY: policyPath,
    });
    await import('../../functions/index.js');
    await f.pubsub.createTopic(ticks);
    await pushInto('enforce', f.topicName);
    await pushInto('enforceTick', ticks);
    // Two jobs stuck waiting: one created an hour ago (over its 30 minutes), one just now.
    const body = {...TARGET, count: 2, ageSeconds: 7200, labels: {'sim-scenario': 'stuck-pending', 'sim-cancel': 'cancelled'}};
    [late, fresh] = ((await f.admin('POST', 'jobs:seed', body)) as {names: [string, string]}).names;
  });

  afterAll(async () => {
    for (const server of servers) server.close();
    await f?.close();
  });

  it('cancels the job that waited too long as soon as the poller reports it, and only that one', async () => {
    await f.cycle();
    await waitFor(() => enforcementOf(late).length >= 1);
    // enforce publishes its decision, then sends the cancel: under load the event can arrive first.
    await waitFor(async () => (await f.vertex.getNasJob(late)).state === 'JOB_STATE_CANCELLING');

    expect(enforcementOf(late)).toEqual(['cancel']);
    expect(enforcementOf(fresh)).toEqual([]);
  });

  it('confirms the cancel when the poller sees the job CANCELLED', async () => {
    await f.sim.advance(300);
    await f.cycle();
    await waitFor(() => enforcementOf(late).length >= 2);

    expect(enforcementOf(late)).toEqual(['cancel', 'cancel-confirmed']);
  });

  it('runs a tick from a scheduler message, acting on nothing new', async () => {
    const before = f.received.length;
    await f.pubsub.topic(ticks).publishMessage({json: {}});
    await waitFor(async () => (await f.firestore.collection('nasmonEnforceSweep').doc('last').get()).exists);

    expect(f.received.slice(before).filter(event => event.type === ENFORCEMENT)).toEqual([]);
    const ids = f.received.filter(event => event.type === ENFORCEMENT).map(event => event.id);
    expect(ids).toEqual([`${late}/enforcement/cancel`, `${late}/enforcement/cancel-confirmed`]);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
