// The local stack's push bridge against the Pub/Sub emulator, with a tiny HTTP receiver as the
// function: by default it delivers each message once and leaves redelivery to Pub/Sub; with chaos
// it delivers some twice and holds some back so later ones overtake them, and counts what it did.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {PubSub, Topic} from '@google-cloud/pubsub';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startPushBridge, type BridgeCounts, type DeliveryChaos, type PushBridge} from '../../scripts/local/push-bridge.js';
import {TOPICS, wirePubSub, type PushEndpoints} from '../../scripts/local/topology.js';
import {describeWithEmulators, emulatorPubSub, testProjectId, uniqueName} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);

/** One push the receiver got. */
interface Arrival {
  readonly path: string;
  readonly messageId: string;
  readonly seq: number;
}

/** An HTTP endpoint that records every push and answers 204, or 500 when `fail` says so. */
async function startReceiver(fail: (arrival: Arrival, earlier: readonly Arrival[]) => boolean = () => false) {
  const arrivals: Arrival[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw) as {message: {messageId: string; data: string}};
      const data = JSON.parse(Buffer.from(body.message.data, 'base64').toString()) as {seq?: number};
      const arrival = {path: req.url ?? '', messageId: body.message.messageId, seq: data.seq ?? -1};
      const failed = fail(arrival, arrivals);
      arrivals.push(arrival);
      res.writeHead(failed ? 500 : 204).end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {arrivals, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise(resolve => server.close(resolve))};
}

async function until(done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
}

describeWithEmulators('the push bridge', () => {
  let pubsub: PubSub;
  const bridges: PushBridge[] = [];
  const errors: string[] = [];

  /** A fresh topic and pull subscription bridged to `endpoint` with `chaos`. */
  async function bridged(endpoint: string, chaos?: DeliveryChaos): Promise<{topic: Topic; bridge: PushBridge}> {
    const [topic] = await pubsub.createTopic(uniqueName('bridge'));
    const [subscription] = await topic.createSubscription(uniqueName('bridge-sub'), {ackDeadlineSeconds: 30});
    const bridge = startPushBridge(subscription, endpoint, projectId, text => errors.push(text), chaos);
    bridges.push(bridge);
    return {topic, bridge};
  }
  const publishAll = (topic: Topic, count: number) =>
    Promise.all(Array.from({length: count}, (_, seq) => topic.publishMessage({json: {seq}})));

  beforeAll(() => {
    pubsub = emulatorPubSub(projectId);
  });
  afterAll(async () => {
    await Promise.all(bridges.map(bridge => bridge.stop()));
    await pubsub?.close();
  });

  it('by default delivers each message once, and leaves a failed delivery to Pub/Sub\'s redelivery', async () => {
    // The first delivery of message 0 fails: Pub/Sub must bring it back, and it is acked then.
    const receiver = await startReceiver((arrival, earlier) => arrival.seq === 0 && !earlier.some(e => e.seq === 0));
    const {topic, bridge} = await bridged(receiver.url);
    const ids = await publishAll(topic, 20);
    await until(() => bridge.counts().acked === 20);
    await new Promise(resolve => setTimeout(resolve, 300)); // room for anything extra to show up
    expect(bridge.counts()).toEqual<BridgeCounts>({received: 21, posts: 21, duplicated: 0, delayed: 0, failed: 1, acked: 20, nacked: 1});
    expect(receiver.arrivals.map(a => a.messageId).sort()).toEqual([...ids, ids[0]!].sort());
    expect(errors).toEqual([expect.stringContaining('answered 500; Pub/Sub will redeliver')]);
    await receiver.close();
  });

  it('with chaos delivers some messages twice under the same id and lets held-back ones be overtaken, counting both', async () => {
    const receiver = await startReceiver();
    const {topic, bridge} = await bridged(receiver.url, {duplicateRate: 0.3, delayRate: 0.5, maxDelayMs: 400, seed: 7});
    const ids = await publishAll(topic, 40);
    await until(() => bridge.counts().acked === 40 && receiver.arrivals.length === 40 + bridge.counts().duplicated);
    await new Promise(resolve => setTimeout(resolve, 600)); // every hold-back is over
    const counts = bridge.counts();
    expect(counts).toMatchObject({received: 40, acked: 40, nacked: 0, failed: 0, posts: 40 + counts.duplicated});
    expect(counts.duplicated).toBeGreaterThan(3);
    expect(counts.delayed).toBeGreaterThan(10);
    // Nothing lost; what came twice is exactly what the bridge says it duplicated, under one message id.
    const times = new Map<string, number>();
    for (const arrival of receiver.arrivals) times.set(arrival.messageId, (times.get(arrival.messageId) ?? 0) + 1);
    expect([...times.keys()].sort()).toEqual([...ids].sort());
    expect([...times.values()].filter(n => n === 2)).toHaveLength(counts.duplicated);
    expect([...times.values()].every(n => n <= 2)).toBe(true);
    // Out of order: some message arrived before one published ahead of it.
    const firstSeen = [...new Map(receiver.arrivals.map(a => [a.messageId, a.seq])).values()];
    const inversions = firstSeen.filter((seq, i) => firstSeen.slice(i + 1).some(later => later < seq)).length;
    expect(inversions).toBeGreaterThan(0);
    await receiver.close();
  });

  it('refuses a rate outside 0..1', async () => {
    const [topic] = await pubsub.createTopic(uniqueName('bridge'));
    const [subscription] = await topic.createSubscription(uniqueName('bridge-sub'));
    expect(() => startPushBridge(subscription, 'http://127.0.0.1:9', projectId, () => undefined, {duplicateRate: 1.5})).toThrow('duplicateRate');
    await subscription.close();
  });

  it('lets wirePubSub deliver every subscription through chaotic bridges (the soak\'s option)', async () => {
    const receiver = await startReceiver();
    const endpoints = Object.fromEntries(['pollNasJobs', 'pollTarget', 'notify', 'enforce', 'enforceTick'].map(name => [name, `${receiver.url}/${name}`])) as unknown as PushEndpoints;
    const wiring = await wirePubSub(pubsub, projectId, endpoints, text => errors.push(text), {chaos: {duplicateRate: 1, seed: 3}});
    try {
      expect(Object.keys(wiring.bridges).sort()).toEqual(['enforce', 'enforce-tick', 'notify', 'poll-nas-jobs', 'poll-target']);
      const id = await pubsub.topic(TOPICS.ticks).publishMessage({json: {seq: 1}});
      await until(() => receiver.arrivals.filter(a => a.messageId === id).length === 2);
      expect(receiver.arrivals.filter(a => a.messageId === id).map(a => a.path)).toEqual([
        `/pollNasJobs/projects/${projectId}/topics/${TOPICS.ticks}`, `/pollNasJobs/projects/${projectId}/topics/${TOPICS.ticks}`,
      ]);
      expect(wiring.bridges['poll-nas-jobs']!.counts()).toMatchObject({received: 1, posts: 2, duplicated: 1, acked: 1});
    } finally {
      await wiring.stopBridge();
      await wiring.eventLog.close();
      await receiver.close();
    }
  });
});
