import {decodeBool, decodeString, decodeTimestamp, fail, listDecoder, type Decoder} from './json-fields.js';
import {JsonMessage} from './json-message.js';
import {isOperationName} from './names.js';
import {
  DELETE_OPERATION_METADATA_TYPE,
  type AnyMessage,
  type DeleteOperationMetadata,
  type GenericOperationMetadata,
  type Operation,
} from './operation.js';
import {decodeAny, decodeStatus} from './parse-status.js';
import {PayloadInvalidError} from './payload-error.js';

/** Decodes a google.longrunning.Operation; DeleteOperationMetadata is parsed, other metadata kept. */
export const decodeOperation: Decoder<Operation> = (value, path) => {
  const m = JsonMessage.of(value, path);
  const operation: Operation = {
    name: m.required('name', decodeOperationName),
    done: m.orDefault('done', decodeBool, false),
    ...m.optional('metadata', decodeMetadata),
    ...m.optional('error', decodeStatus),
    ...m.optional('response', decodeAny),
  };
  // operations.proto: `result` is a oneof, so both at once means the payload is corrupt.
  if (operation.error && operation.response) {
    throw new PayloadInvalidError(path, 'an operation cannot carry both error and response');
  }
  return operation;
};

/** Parses an Operation response body (delete, operations.get); throws PayloadInvalidError naming the path. */
export function parseOperation(json: unknown): Operation {
  return decodeOperation(json, '$');
}

const decodeOperationName: Decoder<string> = (value, path) => {
  const name = decodeString(value, path);
  return isOperationName(name) ? name : fail(path, 'expected projects/*/locations/*/operations/*', name);
};

const decodeMetadata: Decoder<DeleteOperationMetadata | AnyMessage> = (value, path) => {
  const any = decodeAny(value, path);
  if (any['@type'] !== DELETE_OPERATION_METADATA_TYPE) return any;
  const m = JsonMessage.of(any, path);
  return {'@type': DELETE_OPERATION_METADATA_TYPE, ...m.optional('genericMetadata', decodeGenericMetadata)};
};

const decodeGenericMetadata: Decoder<GenericOperationMetadata> = (value, path) => {
  const m = JsonMessage.of(value, path);
  return {
    ...m.optional('createTime', decodeTimestamp),
    ...m.optional('updateTime', decodeTimestamp),
    partialFailures: m.orDefault('partialFailures', listDecoder(decodeStatus), []),
  };
};
