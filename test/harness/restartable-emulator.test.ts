// The restartable emulators of the chaos soak, each started here on its own (not the suite's): a
// Firestore emulator killed and restarted keeps every write it acknowledged, for every project named,
// behind an address that never changes, and clients made before the restart carry on after it; a
// Pub/Sub emulator comes back empty, the caller re-creates its topics and subscriptions before
// clients are let in (scripts/local/topology.ts's createTopology), and the local stack's push,
// bridges and event log from before the restart deliver what is published after it.
// The measured times of each step are printed (the soak's report quotes them).
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Firestore, Timestamp} from '@google-cloud/firestore';
import {PubSub, type Message} from '@google-cloud/pubsub';
import {afterAll, describe, expect, it} from 'vitest';
import {createTopology, TOPICS, wirePubSub, type PushEndpoints} from '../../scripts/local/topology.js';
import {drainSubscription} from '../../scripts/soak/drain-subscription.js';
import {findEmulatorLaunchers} from './emulator-processes.js';
import {restartEmulator, startRestartableEmulator, stopRestartableEmulators, type RestartableEmulator, type RestartReport} from './restartable-emulator.js';

const LOG_DIR = 'test-artifacts/restartable-emulators';
const launchers = findEmulatorLaunchers();
const missing = 'missing' in launchers ? launchers.missing : undefined;
if (missing) console.warn(`!!! SKIPPED restartable emulators: ${missing}`);

/** A Firestore client on `host` (the SDK lets FIRESTORE_EMULATOR_HOST win over any setting, so it is swapped in for the constructor). */
function firestoreAt(host: string, projectId: string): Firestore {
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return new Firestore({projectId});
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = saved;
  }
}

const PROJECT = 'demo-restart';

/** An HTTP endpoint standing in for the functions: records each push's path and decoded data. */
async function startReceiver() {
  const bodies: Array<{path: string; text: string}> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const data = (JSON.parse(raw) as {message: {data: string}}).message.data;
      bodies.push({path: req.url ?? '', text: (JSON.parse(Buffer.from(data, 'base64').toString()) as {text: string}).text});
      res.writeHead(204).end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {bodies, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise(resolve => server.close(resolve))};
}

const report = (r: RestartReport) => console.log(`${r.name} restart: ${JSON.stringify(r)}`);
const refused = (host: string) => fetch(`http://${host}/`, {signal: AbortSignal.timeout(1000)}).then(() => false, () => true);

describe.skipIf(missing !== undefined)('restartable emulators', () => {
  const started: RestartableEmulator[] = [];
  afterAll(async () => stopRestartableEmulators(started));

  it('Firestore: keeps every acknowledged write of every project across a kill and restart on the same address', async () => {
    const emulator = await startRestartableEmulator('firestore', {logDir: LOG_DIR, projects: ['demo-restart-a', 'demo-restart-b']});
    started.push(emulator);
    const [a, b] = [firestoreAt(emulator.host, 'demo-restart-a'), firestoreAt(emulator.host, 'demo-restart-b')];
    const when = Timestamp.fromMillis(Date.parse('2026-11-27T10:00:00Z'));
    await a.doc('jobs/one').set({state: 'RUNNING', when, nested: {list: [1, 'two']}});
    await a.doc('jobs/one/history/000001').set({state: 'PENDING'});
    await b.doc('other/doc').set({n: 2});

    // A writer that keeps going through the outage: what it was told was written must survive.
    const acknowledged: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await a.doc(`writes/${i}`).set({i}).then(() => acknowledged.push(i), () => undefined);
        await new Promise(resolve => setTimeout(resolve, 20));
      }
    })();
    await new Promise(resolve => setTimeout(resolve, 300));
    const pgidBefore = emulator.pgid;
    const restart = restartEmulator(emulator, {downMs: 2000});
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(await refused(emulator.host)).toBe(true); // down: the address refuses connections
    const result = await restart;
    report(result);
    const afterRestart = acknowledged.length;
    const deadline = Date.now() + 30_000;
    while (acknowledged.length < afterRestart + 5 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
    writing = false;
    await writer;

    expect(emulator.restarts).toBe(1);
    expect(emulator.pgid).not.toBe(pgidBefore);
    expect(result.outageMs).toBeGreaterThanOrEqual(2000);
    expect(result.failedStarts).toBe(0);
    // The clients made before the restart work after it, and see everything from before.
    expect((await a.doc('jobs/one').get()).data()).toEqual({state: 'RUNNING', when, nested: {list: [1, 'two']}});
    expect((await a.doc('jobs/one/history/000001').get()).data()).toEqual({state: 'PENDING'});
    expect((await b.doc('other/doc').get()).data()).toEqual({n: 2});
    const stored = new Set((await a.collection('writes').get()).docs.map(doc => doc.get('i') as number));
    expect(acknowledged.filter(i => !stored.has(i))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(afterRestart); // and it takes writes again
    await Promise.all([a.terminate(), b.terminate()]);
  }, 180_000);

  it('Pub/Sub: comes back empty; createTopology before clients return, and the stack\'s bridges and subscribers carry on', async () => {
    const emulator = await startRestartableEmulator('pubsub', {logDir: LOG_DIR});
    started.push(emulator);
    const receiver = await startReceiver();
    const endpoints = Object.fromEntries(['pollNasJobs', 'pollTarget', 'notify', 'enforce', 'enforceTick'].map(name => [name, `${receiver.url}/${name}`])) as unknown as PushEndpoints;
    const pubsub = new PubSub({projectId: PROJECT, apiEndpoint: emulator.host});
    const wiring = await wirePubSub(pubsub, PROJECT, endpoints, () => undefined);
    const logged: string[] = [];
    wiring.eventLog.on('message', (message: Message) => (logged.push(message.data.toString()), message.ack()));
    wiring.eventLog.on('error', () => undefined); // the stream breaks during the outage and reconnects by itself
    /** Publishes `text` on each topic; resolves once every one arrived where it goes. */
    const roundTrip = async (text: string) => {
      for (const topic of [TOPICS.ticks, TOPICS.targets, TOPICS.events]) await pubsub.topic(topic).publishMessage({json: {text}});
      const arrived = () => ['pollNasJobs', 'pollTarget', 'notify', 'enforce'].every(fn => receiver.bodies.some(b => b.path.startsWith(`/${fn}/`) && b.text === text))
        && logged.includes(JSON.stringify({text}));
      const deadline = Date.now() + 30_000;
      while (!arrived() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      return arrived();
    };
    expect(await roundTrip('before')).toBe(true);

    let topicsFound: number | undefined;
    const result = await restartEmulator(emulator, {
      downMs: 1000,
      beforeReopen: async directHost => {
        const direct = new PubSub({projectId: PROJECT, apiEndpoint: directHost});
        topicsFound = (await direct.getTopics())[0].length;
        await createTopology(direct, PROJECT, endpoints);
        await direct.close();
      },
    });
    report(result);
    expect(topicsFound).toBe(0); // the emulator kept nothing
    // The bridge, the event log and the publisher of before the restart work after it.
    expect(await roundTrip('after')).toBe(true);
    await wiring.stopBridge();
    await wiring.eventLog.close();
    await pubsub.close();
    await receiver.close();
  }, 180_000);

  it('Pub/Sub: hands what it accepted and had not delivered to beforeKill, while clients are shut out', async () => {
    const emulator = await startRestartableEmulator('pubsub', {logDir: LOG_DIR});
    started.push(emulator);
    const pubsub = new PubSub({projectId: PROJECT, apiEndpoint: emulator.host});
    const [topic] = await pubsub.createTopic('held');
    const [subscription] = await topic.createSubscription('held-log', {enableMessageOrdering: true});
    for (const n of [1, 2, 3]) await topic.publishMessage({json: {n}, orderingKey: 'job'});
    const drained: string[] = [];
    let shutOut: boolean | undefined;
    const result = await restartEmulator(emulator, {
      downMs: 500,
      beforeKill: async directHost => {
        shutOut = await refused(emulator.host);
        const drain = await drainSubscription(directHost, PROJECT, subscription.name, message => drained.push(message.data.toString()));
        expect(drain).toEqual({count: 3});
      },
    });
    report(result);
    expect(drained).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']); // in order, none lost with the old process
    expect(shutOut).toBe(true);
    await pubsub.close();
  }, 180_000);
});
