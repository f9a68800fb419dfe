import {describe, expect, it} from 'vitest';
import {isDeleteOperationMetadata} from '../../../../shared/core/vertex/operation.js';
import {parseOperation} from '../../../../shared/core/vertex/parse-operation.js';
import {vertexFixture} from '../../../factories.js';

describe('parseOperation', () => {
  it('parses a finished delete operation with DeleteOperationMetadata and an Empty response', () => {
    const operation = parseOperation(vertexFixture('delete-operation.json'));

    expect(operation).toMatchObject({
      name: 'projects/123456789012/locations/us-central1/operations/1234567890123456789',
      done: true,
      response: {'@type': 'type.googleapis.com/google.protobuf.Empty'},
    });
    expect(isDeleteOperationMetadata(operation.metadata)).toBe(true);
    expect(operation.metadata).toEqual({
      '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata',
      genericMetadata: {createTime: '2025-07-25T16:23:47.201943Z', updateTime: '2025-07-25T16:23:47.201943Z', partialFailures: []},
    });
  });

  it('reads an omitted `done` as false', () => {
    const operation = parseOperation(vertexFixture('delete-operation-pending.json'));
    expect(operation.done).toBe(false);
    expect(operation.error ?? operation.response).toBeUndefined();
  });

  it('parses a failed operation’s numeric google.rpc.Code', () => {
    const operation = parseOperation({
      name: 'projects/1/locations/l/operations/2',
      done: true,
      error: {code: 9, message: 'job is running', details: [{'@type': 'type.googleapis.com/google.rpc.DebugInfo'}]},
    });
    expect(operation.error).toEqual({code: 9, message: 'job is running', details: [{'@type': 'type.googleapis.com/google.rpc.DebugInfo'}]});
  });

  it('keeps metadata of other types as received', () => {
    const metadata = {'@type': 'type.googleapis.com/google.cloud.aiplatform.v1.GenericOperationMetadata', x: 1};
    expect(parseOperation({name: 'projects/1/locations/l/operations/2', metadata}).metadata).toEqual(metadata);
  });

  it.each([
    ['a name that is not an operation', {name: 'projects/1/locations/l/nasJobs/2'}, '$.name'],
    ['done as a string', {name: 'projects/1/locations/l/operations/2', done: 'true'}, '$.done'],
    ['metadata without @type', {name: 'projects/1/locations/l/operations/2', metadata: {}}, '$.metadata.@type'],
    ['a bad metadata timestamp', {name: 'projects/1/locations/l/operations/2', metadata: {'@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata', genericMetadata: {createTime: 5}}}, '$.metadata.genericMetadata.createTime'],
    ['both error and response', {name: 'projects/1/locations/l/operations/2', done: true, error: {code: 2}, response: {'@type': 'x'}}, '$'],
  ])('rejects %s', (_, json, path) => {
    expect(() => parseOperation(json)).toThrow(expect.objectContaining({code: 'payload-invalid', path}));
  });
});
