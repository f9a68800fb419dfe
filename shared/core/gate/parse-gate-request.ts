import {isJsonObject} from '../vertex/json-fields.js';
import {locationName} from '../vertex/names.js';
import {invalidArgument} from './gate-errors.js';
import type {GateRequest} from './gate-request.js';
import {parseGatePath} from './parse-gate-path.js';
import {parseGateQuery} from './parse-gate-query.js';
import {parseCreateBody} from './validate-create-body.js';

/** One HTTP call as the edge hands it over: nothing here has been validated yet. */
export interface RawGateRequest {
  readonly method: string;
  /** The request target exactly as received, path and query, not decoded (Express's `req.originalUrl`). */
  readonly target: string;
  /** The parsed JSON body, or `undefined` when the request had none. */
  readonly body: unknown;
}

/**
 * Parses one call into a {@link GateRequest}: route and path parameters, then query parameters,
 * then the body. Throws the GateError (404, 405 or 400 with field violations) of the first stage that fails.
 */
export function parseGateRequest(raw: RawGateRequest): GateRequest {
  if (raw.target.includes('#')) throw invalidArgument('the request target must not contain a fragment ("#")', [], 'INVALID_PATH');
  const at = raw.target.indexOf('?');
  const path = at < 0 ? raw.target : raw.target.slice(0, at);
  const route = parseGatePath(raw.method, path);
  const query = parseGateQuery(route.action, at < 0 ? '' : raw.target.slice(at + 1));
  const parent = locationName(route);
  const target = {project: route.project, location: route.location, parent};
  switch (query.action) {
    case 'create':
      if (raw.body === undefined) throw invalidArgument('create needs a JSON body: the NasJob to create', [], 'MISSING_BODY');
      return {...target, ...query, body: parseCreateBody(raw.body)};
    case 'list':
      refuseBody(raw, 'list');
      return {...target, ...query};
    case 'cancel':
      // CancelNasJobRequest has no body fields ("{}" is what Google's clients send), so allow only that.
      if (raw.body !== undefined && !(isJsonObject(raw.body) && Object.keys(raw.body).length === 0)) {
        throw invalidArgument('cancel takes no body fields; send no body or {}', [{field: '', description: 'must be empty'}], 'UNEXPECTED_BODY');
      }
      return {...target, action: 'cancel', jobId: route.jobId!, name: `${parent}/nasJobs/${route.jobId!}`};
    case 'delete':
    case 'get':
      refuseBody(raw, query.action);
      return {...target, action: query.action, jobId: route.jobId!, name: `${parent}/nasJobs/${route.jobId!}`};
  }
}

function refuseBody(raw: RawGateRequest, action: string): void {
  if (raw.body !== undefined) throw invalidArgument(`${action} takes no request body`, [], 'UNEXPECTED_BODY');
}
