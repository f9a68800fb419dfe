// The production wiring, end to end: a scheduler tick published on Pub/Sub is pushed into the real
// pollNasJobs entry point (served by the functions framework), which fans out a poll-targets message,
// pushed into pollTarget, which polls the simulator and publishes events. The composition root
// (functions/wiring) is built from the environment exactly as in production.
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import type {Message, PubSub} from '@google-cloud/pubsub';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startSimulator, type RunningSimulator} from '../../simulator/server.js';
import {describeWithEmulators, emulatorPubSub, resetFirestore, testProjectId, uniqueName} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
const names = {ticks: uniqueName('poll-ticks'), targets: uniqueName('poll-targets'), events: uniqueName('nasjob-events')};

describeWithEmulators('the deployed function chain', () => {
  let sim: RunningSimulator;
  let pubsub: PubSub;
  const servers: Server[] = [];
  const events: Message[] = [];

  async function serve(target: string): Promise<string> {
    const server = getTestServer(target).listen(0, '127.0.0.1');
    await new Promise(resolve => server.once('listening', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/projects/${projectId}/topics/${target}`;
  }

  beforeAll(async () => {
    sim = await startSimulator({port: 0, timeScale: 0});
    await resetFirestore(projectId);
    Object.assign(process.env, {
      GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: 'wiring-a1/us-central1,wiring-b1/europe-west4',
      VERTEX_API_ENDPOINT: sim.url, NASMON_VERTEX_STATIC_TOKEN: 'local-test', NASMON_EVENTS_TOPIC: names.events,
      NASMON_TARGETS_TOPIC: names.targets, NASMON_POLL_INTERVAL_SECONDS: '1', NASMON_POLL_SESSION_SECONDS: '4',
    });
    await import('../../functions/index.js');
    pubsub = emulatorPubSub(projectId);
    const [ticks] = await pubsub.createTopic(names.ticks);
    const [targets] = await pubsub.createTopic(names.targets);
    const [eventsTopic] = await pubsub.createTopic(names.events);
    await ticks.createSubscription(uniqueName('push-poll'), {pushConfig: {pushEndpoint: await serve('pollNasJobs')}, ackDeadlineSeconds: 60});
    await targets.createSubscription(uniqueName('push-target'), {pushConfig: {pushEndpoint: await serve('pollTarget')}, ackDeadlineSeconds: 60});
    const [sub] = await eventsTopic.createSubscription(uniqueName('events'));
    sub.on('message', (message: Message) => {
      events.push(message);
      message.ack();
    });
    for (const [project, location] of [['wiring-a1', 'us-central1'], ['wiring-b1', 'europe-west4']]) {
      await fetch(`${sim.url}/simulator/jobs:seed`, {method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify({project, location, count: 3})});
    }
  });

  afterAll(async () => {
    for (const server of servers) server.close();
    await pubsub?.close();
    await sim?.close();
  });

  it('turns one tick into events for every target, and later changes into more events', async () => {
    await pubsub.topic(names.ticks).publishMessage({json: {}});
    await waitFor(() => events.length >= 6, 15_000);
    const firstSeen = events.map(message => message.attributes['ce-nasjob']);
    expect(new Set(firstSeen).size).toBe(6);
    expect(events.every(message => message.attributes['ce-type'] === 'nasmon.nasjob.v1.stateChanged')).toBe(true);

    // The same session keeps polling: a change within it is seen without another tick.
    await fetch(`${sim.url}/simulator/clock:advance`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({seconds: 7200})});
    await waitFor(() => events.length > 6, 10_000);
    expect(events.slice(6).some(message => message.attributes['ce-previousstate'] !== undefined)).toBe(true);
  }, 40_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
