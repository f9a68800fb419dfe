// The REST surface: Vertex v1 paths, the REST method id used in stats, the quota bucket each call
// draws from, and the query parameters each method binds.
import {cancelNasJob} from './cancel-nas-job.js';
import {createNasJob} from './create-nas-job.js';
import {deleteNasJob} from './delete-nas-job.js';
import {getNasJob} from './get-nas-job.js';
import {listNasJobs} from './list-nas-jobs.js';
import {getOperation, listOperations, waitOperation} from './operations.js';
import {getTrialDetail, listTrialDetails} from './trial-details.js';
import type {ApiHandler} from '../http/api-types.js';
import type {QuotaKind} from '../quota/request-quota.js';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** REST method id, e.g. `nasJobs.list`. */
  id: string;
  pattern: RegExp;
  paramNames: readonly string[];
  quota: QuotaKind;
  query: readonly string[];
  /** Path field checked against a regional endpoint's host: `parent` for collections, else `name`. */
  nameField: 'parent' | 'name';
  handler: ApiHandler;
}

const PREFIX = '/v1/projects/{project}/locations/{location}';
const LIST_QUERY = ['filter', 'pageSize', 'pageToken', 'readMask'];

function route(method: Route['method'], id: string, path: string, quota: QuotaKind, handler: ApiHandler, query: string[] = []): Route {
  const paramNames: string[] = [];
  const source = `${PREFIX}${path}`.replace(/[.$]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    paramNames.push(name);
    return '([^/:]+)';
  });
  const nameField = /nasJobs$|nasTrialDetails$/.test(path) ? 'parent' : 'name';
  return {method, id, pattern: new RegExp(`^${source}$`), paramNames, quota, query, nameField, handler};
}

export const ROUTES: readonly Route[] = [
  route('POST', 'nasJobs.create', '/nasJobs', 'write', createNasJob),
  route('GET', 'nasJobs.list', '/nasJobs', 'read', listNasJobs, LIST_QUERY),
  route('GET', 'nasJobs.get', '/nasJobs/{job}', 'read', getNasJob),
  route('DELETE', 'nasJobs.delete', '/nasJobs/{job}', 'write', deleteNasJob),
  route('POST', 'nasJobs.cancel', '/nasJobs/{job}:cancel', 'read', cancelNasJob),
  route('GET', 'nasJobs.nasTrialDetails.list', '/nasJobs/{job}/nasTrialDetails', 'read', listTrialDetails, ['pageSize', 'pageToken']),
  route('GET', 'nasJobs.nasTrialDetails.get', '/nasJobs/{job}/nasTrialDetails/{trial}', 'read', getTrialDetail),
  route('GET', 'operations.list', '/operations', 'read', listOperations, ['filter', 'pageSize', 'pageToken', 'returnPartialSuccess']),
  route('GET', 'operations.get', '/operations/{operation}', 'read', getOperation),
  route('POST', 'operations.wait', '/operations/{operation}:wait', 'read', waitOperation),
];

export type RouteMatch =
  | {kind: 'found'; route: Route; params: Record<string, string>}
  | {kind: 'wrong-method'; allowed: string[]}
  | {kind: 'none'};

/** Matches a decoded path; a known path with another method is told apart from an unknown path. */
export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const candidate of ROUTES) {
    const m = candidate.pattern.exec(path);
    if (!m) continue;
    if (candidate.method !== method) {
      allowed.push(candidate.method);
      continue;
    }
    const params: Record<string, string> = {};
    candidate.paramNames.forEach((name, i) => (params[name] = m[i + 1] ?? ''));
    return {kind: 'found', route: candidate, params};
  }
  return allowed.length > 0 ? {kind: 'wrong-method', allowed} : {kind: 'none'};
}
