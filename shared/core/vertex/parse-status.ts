import {decodeInt32, decodeObject, decodeString, fail, isJsonObject, listDecoder, type Decoder} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import type {AnyMessage, Status} from './operation.js';

/** Decodes a google.rpc.Status (numeric google.rpc.Code, not the HTTP status). */
export const decodeStatus: Decoder<Status> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    code: m.orDefault('code', decodeInt32, 0),
    message: m.orDefault('message', decodeString, ''),
    details: m.orDefault('details', listDecoder(decodeObject), []),
  };
};

/** Decodes a google.protobuf.Any: an object with a string `@type`. */
export const decodeAny: Decoder<AnyMessage> = (value, path) => {
  if (!isJsonObject(value)) return fail(path, 'expected an object', value);
  decodeString(value['@type'], `${path}.@type`);
  return value as AnyMessage;
};
