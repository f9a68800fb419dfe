import {afterAll, beforeAll, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import type {PubSub} from '@google-cloud/pubsub';
import {
  describeWithEmulators, emulatorFirestore, emulatorPubSub, resetFirestore, testProjectId, uniqueName,
} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('the emulator harness', () => {
  let firestore: Firestore;
  let pubsub: PubSub;
  beforeAll(async () => {
    await resetFirestore(projectId);
    firestore = emulatorFirestore(projectId);
    pubsub = emulatorPubSub(projectId);
  });
  afterAll(async () => {
    await firestore.terminate();
    await pubsub.close();
  });

  it('writes and reads a Firestore document in a transaction', async () => {
    const ref = firestore.doc('harness/one');
    await firestore.runTransaction(async tx => {
      const snapshot = await tx.get(ref);
      tx.set(ref, {count: (snapshot.get('count') ?? 0) + 1});
    });
    expect((await ref.get()).get('count')).toBe(1);
  });

  it('wipes only this project on reset', async () => {
    const other = emulatorFirestore(`${projectId}-x`);
    await other.doc('harness/kept').set({kept: true});
    await firestore.doc('harness/gone').set({gone: true});
    await resetFirestore(projectId);
    expect((await firestore.doc('harness/gone').get()).exists).toBe(false);
    expect((await other.doc('harness/kept').get()).exists).toBe(true);
    await other.terminate();
  });

  it('publishes a message with attributes and receives it on a subscription', async () => {
    const [topic] = await pubsub.createTopic(uniqueName('harness'));
    const [subscription] = await topic.createSubscription(uniqueName('harness-sub'));
    const received = new Promise<{data: string; kind: string | undefined}>(resolve => {
      subscription.on('message', message => {
        message.ack();
        resolve({data: message.data.toString(), kind: message.attributes.kind});
      });
    });
    await topic.publishMessage({data: Buffer.from('hello'), attributes: {kind: 'test'}});
    expect(await received).toEqual({data: 'hello', kind: 'test'});
    await subscription.close();
  });
});
