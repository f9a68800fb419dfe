// The data of a CloudEvent that Pub/Sub delivered (google.events.cloud.pubsub.v1.MessagePublishedData),
// validated: the functions framework hands anything through, even `{}`.

/** One decoded Pub/Sub message. */
export interface PubSubMessage {
  readonly messageId: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The message data parsed as JSON; undefined when the message had no data. */
  readonly json: unknown;
}

/** Thrown for a delivery that cannot be a Pub/Sub message; the caller acknowledges and logs it. */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}

/** Decodes `{message: {data (base64 JSON), attributes, messageId}}`, naming the field that is wrong. */
export function decodePubSubEnvelope(data: unknown): PubSubMessage {
  const message = isObject(data) ? data.message : undefined;
  if (!isObject(message)) throw new MalformedMessageError('message', 'missing; not a Pub/Sub delivery');
  const messageId = message.messageId ?? message.message_id ?? '';
  if (typeof messageId !== 'string') throw new MalformedMessageError('message.messageId', 'must be a string');
  const attributes = message.attributes ?? {};
  if (!isObject(attributes) || Object.values(attributes).some(value => typeof value !== 'string')) {
    throw new MalformedMessageError('message.attributes', 'must map names to strings');
  }
  return {messageId, attributes: attributes as Record<string, string>, json: decodeData(message.data)};
}

function decodeData(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(raw)) {
    throw new MalformedMessageError('message.data', 'must be base64');
  }
  let text: string;
  try {
    const binary = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder('utf-8', {fatal: true}).decode(Uint8Array.from(binary, char => char.charCodeAt(0)));
  } catch {
    throw new MalformedMessageError('message.data', 'is not base64-encoded UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedMessageError('message.data', 'is not JSON');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
