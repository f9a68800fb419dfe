// One REST request, front to back, in the order Google's front end applies things: routing,
// injected faults, authentication, regional endpoint, request quota, query binding, then the method.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {setTimeout as delay} from 'node:timers/promises';
import {matchRoute, type Route} from '../api/routes.js';
import type {FaultRule} from '../faults/fault-registry.js';
import {encodeEnumsAsNumbers} from '../proto/encode-enums.js';
import type {SimState} from '../sim-state.js';
import type {ApiResponse} from './api-types.js';
import {errorInfoDetail} from './error-details.js';
import {faultError, isAfterEffect} from './fault-responses.js';
import {parseJsonBody, resetConnection, sendJson, sendTruncated} from './http-io.js';
import {checkQueryParameters, wantsNumericEnums} from './query.js';
import {checkRegionalHost} from './regional-host.js';
import {ApiError} from './rpc-error.js';

export async function dispatchApi(sim: SimState, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> {
  const method = req.method ?? 'GET';
  const path = safeDecode(url.pathname);
  // Google's front end dates its answers by its own clock; so does the simulator, by the simulated
  // one (which --clock-offset can move away from the real clock).
  res.setHeader('date', new Date(Math.floor(sim.clock.now() / 1000)).toUTCString());
  const match = matchRoute(method, path);
  if (match.kind !== 'found') {
    const error = match.kind === 'none'
      ? new ApiError('NOT_FOUND', `The requested URL ${url.pathname} was not found on this server.`)
      : new ApiError('UNIMPLEMENTED', `Method ${method} is not allowed on ${url.pathname}.`, [], 405);
    sim.stats.record(undefined, `${method} (unrouted)`, error.httpStatus);
    const headers: Record<string, string> = match.kind === 'wrong-method' ? {allow: match.allowed.join(', ')} : {};
    return sendJson(res, error.httpStatus, error.toEnvelope(), headers);
  }
  const {route, params} = match;
  const statsTarget = `${sim.projectIds.get(params.project ?? '') ?? params.project}/${params.location}`;
  const {latencyMs, fault} = sim.faults.decide(method, path);
  if (latencyMs > 0) await delay(latencyMs);
  if (fault && !isAfterEffect(fault)) return respondWithFault(sim, res, fault, statsTarget, route.id);

  const response = runRoute(sim, route, params, req, url, raw);
  if (fault) return respondWithFault(sim, res, fault, statsTarget, route.id, response);
  sim.stats.record(statsTarget, route.id, response.status);
  sendJson(res, response.status, response.body, {}, url.searchParams.get('prettyPrint') !== 'false');
}

function runRoute(sim: SimState, route: Route, params: Record<string, string>, req: IncomingMessage, url: URL, raw: Buffer): ApiResponse {
  try {
    checkAuthorization(sim, req);
    checkRegionalHost(req.headers.host, params.location ?? '', route.nameField);
    sim.quota.charge(route.quota, sim.projectNumber(params.project ?? ''), params.location ?? '');
    checkQueryParameters(url.searchParams, route.query);
    const body = parseJsonBody(raw);
    const request = {method: route.method, path: url.pathname, query: url.searchParams, params, body, headers: req.headers};
    const response = route.handler(request, sim);
    if (response.messageType && wantsNumericEnums(url.searchParams)) {
      return {status: response.status, body: encodeEnumsAsNumbers(response.body, response.messageType)};
    }
    return response;
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('INTERNAL', `Internal error in the simulator: ${String(err)}`);
    if (!(err instanceof ApiError)) console.error(err);
    return {status: error.httpStatus, body: error.toEnvelope()};
  }
}

/** Off by default, so local tools need no token; `requireAuth` in /simulator/config turns it on. */
function checkAuthorization(sim: SimState, req: IncomingMessage): void {
  if (!sim.config.requireAuth || /^Bearer \S+/i.test(req.headers.authorization ?? '')) return;
  throw new ApiError(
    'UNAUTHENTICATED',
    'Request is missing required authentication credential. Expected an OAuth 2 access token or other valid authentication credential.',
    [errorInfoDetail('CREDENTIALS_MISSING', {method: 'google.cloud.aiplatform.v1.JobService'})],
  );
}

function respondWithFault(sim: SimState, res: ServerResponse, fault: FaultRule, target: string, id: string, real?: ApiResponse): void {
  if (fault.kind === 'reset') {
    sim.stats.record(target, id, 0);
    return resetConnection(res);
  }
  if (fault.kind === 'truncate') {
    const response = real ?? {status: 200, body: {}};
    sim.stats.record(target, id, response.status);
    return sendTruncated(res, response.status, response.body);
  }
  const error = faultError(fault);
  sim.stats.record(target, id, error.httpStatus);
  sendJson(res, error.httpStatus, error.toEnvelope());
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
