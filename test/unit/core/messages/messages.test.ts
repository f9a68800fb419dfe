import {describe, expect, it} from 'vitest';
import {decodePubSubEnvelope, MalformedMessageError} from '../../../../shared/core/messages/pubsub-envelope.js';
import {parseTargetMessage} from '../../../../shared/core/messages/target-message.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const targets = [{project: 'proj-a1', location: 'us-central1'}];

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MalformedMessageError) return error.field;
    throw error;
  }
  return 'no error';
}

describe('decodePubSubEnvelope', () => {
  it('decodes data, attributes and the message id', () => {
    expect(decodePubSubEnvelope({message: {data: b64('{"a":1}'), attributes: {k: 'v'}, messageId: '42'}}))
      .toEqual({messageId: '42', attributes: {k: 'v'}, json: {a: 1}});
  });

  it('accepts a message without data (a bare scheduler tick)', () => {
    expect(decodePubSubEnvelope({message: {messageId: '1'}}).json).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['an empty event', {}, 'message'],
    ['no event data at all', undefined, 'message'],
    ['a message that is a string', {message: 'x'}, 'message'],
    ['a numeric message id', {message: {messageId: 5}}, 'message.messageId'],
    ['non-string attributes', {message: {attributes: {a: 1}}}, 'message.attributes'],
    ['data that is not base64', {message: {data: '%%%'}}, 'message.data'],
    ['data that is not JSON', {message: {data: b64('not json')}}, 'message.data'],
    ['data that is not UTF-8', {message: {data: Buffer.from([0xff, 0xfe]).toString('base64')}}, 'message.data'],
  ])('rejects %s, naming the field', (_, input, field) => {
    expect(fieldOf(() => decodePubSubEnvelope(input))).toBe(field);
  });
});

describe('parseTargetMessage', () => {
  const tickTime = '2026-11-02T10:00:00Z';
  it('accepts a configured target', () => {
    expect(parseTargetMessage({project: 'proj-a1', location: 'us-central1', tickTime}, targets))
      .toEqual({project: 'proj-a1', location: 'us-central1', tickTime});
  });

  it.each<[string, unknown, string]>([
    ['an array', [], 'data'],
    ['a missing project', {location: 'us-central1', tickTime}, 'data.project'],
    ['a numeric location', {project: 'proj-a1', location: 7, tickTime}, 'data.location'],
    ['a bad tick time', {project: 'proj-a1', location: 'us-central1', tickTime: 'yesterday'}, 'data.tickTime'],
    ['a target nobody configured', {project: 'proj-zz', location: 'us-central1', tickTime}, 'data'],
  ])('rejects %s', (_, input, field) => {
    expect(fieldOf(() => parseTargetMessage(input, targets))).toBe(field);
  });
});
