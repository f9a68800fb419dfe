import type {CloudEvent} from '@google-cloud/functions-framework';
import {describe, expect, it} from 'vitest';
import {enforceEntry, enforceTickEntry} from '../../../../functions/enforce.js';
import type {RecoverCreatesDeps} from '../../../../shared/use-cases/gate/recover-creates.js';
import {enforceWorld} from './enforce-fakes.js';

const delivery = (message: Record<string, unknown>): CloudEvent<unknown> => ({
  specversion: '1.0', id: 'e-1', type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: '//pubsub.googleapis.com/projects/p/topics/nasjob-events', data: {message: {messageId: 'm-1', ...message}},
});
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('the enforce entries', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['data that is not base64', {data: '%%%', attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged'}}, 'message.data'],
    ['data that is not JSON', {data: Buffer.from('{oops').toString('base64'), attributes: {}}, 'message.data'],
    ['no event type', {data: b64({}), attributes: {}}, 'message.attributes.ce-type'],
    ['no job name', {data: b64({}), attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged'}}, 'message.attributes.ce-nasjob'],
  ])('acknowledges a delivery with %s and logs the field', async (_, message, field) => {
    const w = enforceWorld();

    await expect(enforceEntry(async () => w.deps, w.deps.log)(delivery(message))).resolves.toBeUndefined();
    expect(w.logged('dropping a malformed message')).toEqual([expect.objectContaining({field, fn: 'enforce'})]);
    expect(w.store.states.size).toBe(0);
  });

  it('acknowledges an event type it does not act on', async () => {
    const w = enforceWorld();
    const message = {data: b64({}), attributes: {'ce-type': 'nasmon.nasjob.v1.enforcement', 'ce-nasjob': w.name}};

    await expect(enforceEntry(async () => w.deps, w.deps.log)(delivery(message))).resolves.toBeUndefined();
    expect(w.store.states.size).toBe(0);
  });

  it('fails the invocation when the store is down, so Pub/Sub redelivers', async () => {
    const w = enforceWorld();
    w.store.transact = () => Promise.reject(new Error('14 UNAVAILABLE: firestore'));
    const message = {data: b64({}), attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged', 'ce-nasjob': w.name}};

    await expect(enforceEntry(async () => w.deps, w.deps.log)(delivery(message))).rejects.toThrow('UNAVAILABLE');
    expect(w.logged('invocation failed; Pub/Sub will redeliver')).toHaveLength(1);
  });

  it('evaluates the job of a state change, and ticks on a scheduler message', async () => {
    const w = enforceWorld();
    w.at(8);
    const message = {data: b64({}), attributes: {'ce-type': 'nasmon.nasjob.v1.stateChanged', 'ce-nasjob': w.name}};
    await enforceEntry(async () => w.deps, w.deps.log)(delivery(message));
    w.at(10);
    await enforceTickEntry(async () => w.deps, w.deps.log)(delivery({}));

    expect(w.actions()).toEqual(['warn run', 'cancel run']);
  });

  it('looks for creates the gate did not audit after each tick, and a failure there fails neither the tick nor its acknowledgement', async () => {
    const w = enforceWorld();
    const asked: Date[] = [];
    const recover = () => ({
      store: {staleIntents: async (before: Date) => (asked.push(before), Promise.reject(new Error('14 UNAVAILABLE: firestore')))},
      vertex: {}, publisher: w.deps.publisher, log: w.deps.log, now: () => new Date('2026-11-29T12:00:00Z'),
    }) as unknown as RecoverCreatesDeps;

    await expect(enforceTickEntry(async () => w.deps, w.deps.log, recover)(delivery({}))).resolves.toBeUndefined();
    expect(w.logged('enforce tick')).toHaveLength(1);
    expect(asked).toEqual([new Date('2026-11-29T11:50:00Z')]); // intents over 10 minutes old
    expect(w.logged('could not look for creates the gate did not record; the next tick tries again')).toHaveLength(1);
  });
});
