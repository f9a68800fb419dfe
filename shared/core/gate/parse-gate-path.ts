import type {GateAction} from '../policy/verdict.js';
import type {FieldViolation} from '../vertex/error-details.js';
import {invalidArgument, methodNotAllowed, notFound} from './gate-errors.js';

// Routing of the raw request path. It works on the path exactly as received (never a decoded or
// normalised form), so "..", "%2F" or "//" cannot smuggle a different resource past the checks: IDs,
// locations and numeric job IDs never need percent-encoding, so any "%" is refused.

/** The route of one call: what to do, and on which resource. */
export interface GateRoute {
  readonly action: GateAction;
  readonly project: string;
  readonly location: string;
  readonly jobId?: string;
}

/** Longest path accepted, in bytes. */
export const MAX_PATH_LENGTH = 2048;

// Project ID (6–30 chars, lowercase, starts with a letter) or project number, as config.ts accepts them.
const PROJECT = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{6,20})$/;
// A region (us-central1, europe-west4, northamerica-northeast1): NAS has no zones or multi-regions.
const LOCATION = /^[a-z]{2,}(?:-[a-z]+)+\d{1,2}$/;
// Vertex assigns int64 IDs; the gate refuses anything else before it reaches the mirror or Vertex.
const JOB_ID = /^[1-9]\d{0,18}$/;
const INT64_MAX = 2n ** 63n - 1n;
const SEGMENT = /^[A-Za-z0-9._~:-]+$/;

const SHAPE = '/v1/projects/{project}/locations/{location}/nasJobs[/{id}[:cancel]]';

/** Routes a method and raw path (no query) to a {@link GateRoute}, or throws the GateError that says why not. */
export function parseGatePath(method: string, path: string): GateRoute {
  const segments = checkedSegments(path);
  const [version, projects, project = '', locations, location = '', collection, last, ...rest] = segments;
  if (version !== 'v1' || projects !== 'projects' || locations !== 'locations' || collection !== 'nasJobs' || rest.length > 0) {
    throw notFound(`no such resource; the gate serves ${SHAPE}`, 'UNKNOWN_PATH');
  }
  const violations: FieldViolation[] = [];
  if (!PROJECT.test(project)) {
    violations.push({field: 'project', description: `"${short(project)}" is not a project ID (my-project) or number`});
  }
  if (!LOCATION.test(location)) violations.push({field: 'location', description: `"${short(location)}" is not a region such as us-central1`});
  const [jobId, verb, ...extra] = (last ?? '').split(':');
  if (last !== undefined && !isJobId(jobId ?? '')) {
    violations.push({field: 'nasJob', description: `"${short(jobId ?? '')}" is not a NasJob ID: IDs are numbers assigned by Vertex`});
  }
  if (verb !== undefined && (verb !== 'cancel' || extra.length > 0)) {
    throw notFound(`unknown method ":${short(last!.slice(last!.indexOf(':') + 1))}"; the only custom method is :cancel`, 'UNKNOWN_METHOD');
  }
  if (violations.length > 0) throw invalidArgument(`invalid resource name in the path: ${violations[0]!.description}`, violations, 'INVALID_RESOURCE_NAME');
  const target = {project, location};
  if (last === undefined) return {...target, action: pick(method, {GET: 'list', POST: 'create'})};
  const id = jobId!;
  if (verb === 'cancel') return {...target, jobId: id, action: pick(method, {POST: 'cancel'})};
  return {...target, jobId: id, action: pick(method, {GET: 'get', DELETE: 'delete'})};
}

// The path's segments after the leading "/", refusing every form of path trickery with its own message.
function checkedSegments(path: string): string[] {
  const refuse = (message: string, reason: string): never => {
    throw invalidArgument(message, [], reason);
  };
  if (!path.startsWith('/')) refuse('the request target must be an absolute path', 'INVALID_PATH');
  if (path === '/') throw notFound(`no such resource; the gate serves ${SHAPE}`, 'UNKNOWN_PATH');
  if (path.length > MAX_PATH_LENGTH) refuse(`the path is longer than ${MAX_PATH_LENGTH} characters`, 'INVALID_PATH');
  if (/%(2f|5c)/i.test(path) || path.includes('\\')) refuse('encoded slashes (%2F, %5C) and backslashes are not allowed in the path', 'ENCODED_SLASH');
  if (path.includes('%')) refuse('percent-encoded characters are not allowed in the path', 'ENCODED_PATH');
  const segments = path.slice(1).split('/');
  if (segments.some(segment => segment === '.' || segment === '..')) refuse('path traversal ("." or "..") is not allowed', 'PATH_TRAVERSAL');
  if (segments.some(segment => segment === '')) refuse('empty path segments (double or trailing slashes) are not allowed', 'EMPTY_SEGMENT');
  if (!segments.every(segment => SEGMENT.test(segment))) refuse('the path contains characters that are not allowed', 'INVALID_PATH');
  return segments;
}

function isJobId(id: string): boolean {
  return JOB_ID.test(id) && BigInt(id) <= INT64_MAX;
}

function pick(method: string, actions: Readonly<Record<string, GateAction>>): GateAction {
  const action = Object.hasOwn(actions, method) ? actions[method] : undefined;
  if (action === undefined) throw methodNotAllowed(short(method), Object.keys(actions));
  return action;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
