// Location-level operations (the only kind a NasJob delete creates): get, list and wait.
import {ok, type ApiHandler, type ApiRequest} from '../http/api-types.js';
import {notFound} from '../http/error-details.js';
import {pageByOffset} from '../paging/offset-page.js';
import type {JsonObject} from '../proto/normalize-input.js';
import type {SimState} from '../sim-state.js';
import {targetOf} from './job-lookup.js';

function findOperation(sim: SimState, req: ApiRequest): JsonObject {
  const target = targetOf(sim, req);
  const id = req.params.operation ?? '';
  const operation = target.operations.get(id);
  if (!operation) throw notFound('Operation', `projects/${target.projectNumber}/locations/${target.location}/operations/${id}`);
  return operation;
}

export const getOperation: ApiHandler = (req, sim) => ok(findOperation(sim, req));

/** Every stored operation is already done, so waiting returns at once. */
export const waitOperation: ApiHandler = (req, sim) => ok(findOperation(sim, req));

/** Newest first. `filter` is accepted but not applied (operations here are all finished deletes). */
export const listOperations: ApiHandler = (req, sim) => {
  const target = targetOf(sim, req);
  const operations = [...target.operations.values()].reverse();
  const page = pageByOffset(operations, req.query, sim.tokenKey, `operations.list|${target.key}`, {fallback: 100, max: 1000});
  const body: JsonObject = {};
  if (page.items.length > 0) body.operations = page.items;
  if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
  return ok(body);
};
