import * as ff from '@google-cloud/functions-framework';
import {createConfiguredVerifier} from '../shared/adapters/auth/index.js';
import {createCallerRateLimit} from '../shared/core/gate/caller-rate-limit.js';
import {createGateHandler, installEdgeGuard, leaveFrameworkDomain, sendGateError} from '../shared/adapters/http/index.js';
import {loadGateConfig, type Config} from '../shared/config.js';
import {createLogger, type Logger} from '../shared/log.js';
import {handleGateCall} from '../shared/use-cases/gate/handle-gate-call.js';
import type {GateDeps} from '../shared/use-cases/gate/gate-deps.js';
import {productionGateDeps} from './wiring/gate.js';

/** What the gate's HTTP edge takes from the configuration. */
export type GateEdgeConfig = Pick<Config, 'auth' | 'gateTimeoutMs'> & Partial<Pick<Config, 'gateCallsPerMinute'>>;

/** nasJobsApi: create, cancel, delete, get and list NAS jobs through authentication, policy and audit. */
export function nasJobsApiEntry(deps: () => Promise<GateDeps>, edge: GateEdgeConfig, log: Logger = createLogger({fn: 'nasJobsApi'})) {
  const perMinute = edge.gateCallsPerMinute ?? 0;
  const rateLimit = perMinute > 0 ? {rateLimit: createCallerRateLimit({perMinute})} : {};
  return createGateHandler({verifier: createConfiguredVerifier(edge.auth), timeoutMs: edge.gateTimeoutMs, log, ...rateLimit}, async ({caller, request}) =>
    handleGateCall(await deps(), caller, request));
}

// The framework parses bodies itself and answers its own failures with HTML and stack traces; the
// guard (installed before the framework builds its server) caps bodies at 1 MiB and answers those
// failures in Google's error envelope instead.
installEdgeGuard();

// Built on the first request, so a cold start with a broken configuration answers that request in
// the error envelope (and logs why) instead of crashing the instance before it can say anything.
let handler: ReturnType<typeof nasJobsApiEntry> | undefined;
const log = createLogger({fn: 'nasJobsApi'});
ff.http('nasJobsApi', async (req, res) => {
  leaveFrameworkDomain();
  try {
    if (!handler) {
      const config = loadGateConfig();
      handler = nasJobsApiEntry(() => productionGateDeps(config), config, log);
    }
  } catch (error) {
    log.error('nasJobsApi is misconfigured', {error: error as Error});
    sendGateError(res, error);
    return;
  }
  await handler(req, res);
});
