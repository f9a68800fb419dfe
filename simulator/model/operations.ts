// Long-running operations. Deletes finish at once, so each operation is stored already done.
import {formatTimestamp, type SimTime} from '../proto/time-format.js';
import type {JsonObject} from '../proto/normalize-input.js';
import type {SimState} from '../sim-state.js';
import type {Target} from './job-store.js';

/** Records and returns the done Operation of a NasJob delete (location-level name, project number). */
export function recordDeleteOperation(sim: SimState, target: Target, now: SimTime): JsonObject {
  const id = sim.operationIds.next();
  const time = formatTimestamp(now);
  const operation: JsonObject = {
    name: `projects/${target.projectNumber}/locations/${target.location}/operations/${id}`,
    metadata: {
      '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata',
      genericMetadata: {createTime: time, updateTime: time},
    },
    done: true,
    response: {'@type': 'type.googleapis.com/google.protobuf.Empty'},
  };
  target.operations.set(id, operation);
  return operation;
}
