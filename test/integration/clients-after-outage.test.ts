// The Firestore and Pub/Sub clients as the functions build them (functions/wiring/clients.ts), behind
// a TCP gate shut for a few seconds, as an emulator restart or a network blip looks to them: a call
// caught by the outage must still succeed once the service is back, within its own deadline. With
// the libraries' defaults (gRPC's reconnect backoff, Publish's retry delay growing fourfold per try)
// the publish failed in one of two runs here: the delays are randomised, so this guards the
// recovery rather than measuring it; the soak's chaos runs measure it.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {RECONNECT_OPTIONS} from '../../functions/wiring/clients.js';
import {createPubSubEventPublisher, ensureTopic} from '../../shared/adapters/pubsub/index.js';
import {buildEvent, EVENT_TYPES} from '../../shared/core/events/nasjob-event.js';
import {describeWithEmulators, testProjectId, uniqueName} from '../harness/emulators.js';
import {startTcpGate, type TcpGate} from '../harness/tcp-gate.js';

const projectId = testProjectId(import.meta.url);
const OUTAGE_MS = 4000;
const DEADLINE_MS = 8000;

/** Builds a client whose emulator address is the gate's (the libraries read it when constructed). */
function behind<T>(variable: 'FIRESTORE_EMULATOR_HOST' | 'PUBSUB_EMULATOR_HOST', gate: TcpGate, build: () => T): T {
  const saved = process.env[variable];
  process.env[variable] = `127.0.0.1:${gate.port}`;
  try {
    return build();
  } finally {
    process.env[variable] = saved;
  }
}

/** Shuts the gate, starts `call` during the outage, opens the gate after OUTAGE_MS. */
async function callThroughOutage(gate: TcpGate, call: () => Promise<unknown>): Promise<unknown> {
  await gate.shut();
  const reopened = new Promise<void>(resolve => setTimeout(() => void gate.open().then(resolve), OUTAGE_MS));
  await new Promise(resolve => setTimeout(resolve, 500)); // the call meets a dead server first
  const outcome = call().then(() => 'succeeded', (error: Error) => `failed: ${error.message}`);
  await reopened;
  return outcome;
}

const portOf = (host: string | undefined) => Number(host?.split(':')[1]);

describeWithEmulators('the functions\' clients after a short outage', () => {
  const gates: TcpGate[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    gates.push(await startTcpGate(portOf(process.env.FIRESTORE_EMULATOR_HOST)), await startTcpGate(portOf(process.env.PUBSUB_EMULATOR_HOST)));
  });
  afterAll(async () => {
    for (const close of closers) await close();
    for (const gate of gates) await gate.close();
  });

  it('publishes an event whose publish began during the outage, before its deadline', async () => {
    const pubsub = behind('PUBSUB_EMULATOR_HOST', gates[1]!, () => new PubSub({projectId, ...RECONNECT_OPTIONS}));
    closers.push(() => pubsub.close());
    const topic = await ensureTopic(pubsub, uniqueName('outage'));
    const publisher = createPubSubEventPublisher({pubsub, topicName: topic.name, timeoutMs: DEADLINE_MS});
    const job = 'projects/123/locations/us-central1/nasJobs/1';
    const event = buildEvent({id: `${job}/state/1`, type: EVENT_TYPES.stateChanged, job: {name: job}, time: '2026-11-28T05:00:00Z', state: 'JOB_STATE_RUNNING'}, {n: 1});
    await publisher.publish([event]); // connected before the outage

    expect(await callThroughOutage(gates[1]!, () => publisher.publish([{...event, id: `${job}/state/2`}]))).toBe('succeeded');
  }, 30_000);

  it('commits a write that began during the outage, before the store\'s deadline', async () => {
    const firestore = behind('FIRESTORE_EMULATOR_HOST', gates[0]!, () => new Firestore({projectId, ...RECONNECT_OPTIONS}));
    closers.push(() => firestore.terminate());
    const doc = firestore.collection('outage').doc('a');
    await doc.set({n: 1});

    const write = () => Promise.race([doc.set({n: 2}), new Promise((_, reject) => setTimeout(() => reject(new Error('deadline')), DEADLINE_MS))]);
    expect(await callThroughOutage(gates[0]!, write)).toBe('succeeded');
    expect((await doc.get()).get('n')).toBe(2);
  }, 30_000);
});
