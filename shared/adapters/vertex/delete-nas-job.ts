import type {LocationRef} from '../../core/vertex/names.js';
import {EMPTY_TYPE, type Operation} from '../../core/vertex/operation.js';
import {parseOperation} from '../../core/vertex/parse-operation.js';
import {isVertexApiError} from '../../core/vertex/vertex-api-error.js';
import type {VertexCaller} from './vertex-caller.js';

/** How long delete waits for its operation when asked to. */
export interface DeleteWaitOptions {
  readonly pollIntervalMs: number;
  readonly maxWaitMs: number;
}

/** The operation reported when a retried delete meets 404: an earlier attempt already deleted the job. */
export const ALREADY_DELETED: Operation = {name: '', done: true, response: {'@type': EMPTY_TYPE}};

const GONE = Symbol('gone');

/**
 * Deletes a NasJob, retrying on 429 (rate)/503/504/network; a 404 on a retry means an earlier attempt
 * succeeded and yields {@link ALREADY_DELETED}. With `wait`, polls the operation until done or `maxWaitMs`
 * passes, and returns the last operation seen (check `done` and `error`).
 */
export async function deleteNasJobAndWait(
  caller: VertexCaller,
  name: string,
  target: LocationRef,
  wait: DeleteWaitOptions | undefined,
  getOperation: (name: string) => Promise<Operation>,
): Promise<Operation> {
  const request = {method: 'DELETE', url: caller.urlOf(target, name), target, kind: 'write'} as const;
  const json = await caller.retrying(request, 'delete', error => (isVertexApiError(error, 'NOT_FOUND') ? GONE : undefined));
  if (json === GONE) return ALREADY_DELETED;
  let operation = parseOperation(json);
  for (let waited = 0; wait && !operation.done && waited < wait.maxWaitMs; waited += wait.pollIntervalMs) {
    await caller.deps.sleep(wait.pollIntervalMs);
    operation = await getOperation(operation.name);
  }
  return operation;
}
