import * as ff from '@google-cloud/functions-framework';
import {createConfiguredVerifier, loadAuthConfig} from '../shared/adapters/auth/index.js';
import {createGateHandler, installEdgeGuard, sendGateError} from '../shared/adapters/http/index.js';
import {createLogger, type Logger} from '../shared/log.js';
import {handleGateCall} from '../shared/use-cases/gate/handle-gate-call.js';
import type {GateDeps} from '../shared/use-cases/gate/gate-deps.js';
import {productionGateDeps} from './deps.js';

/** nasJobsApi: create, cancel, delete, get and list NAS jobs through authentication, policy and audit. */
export function nasJobsApiEntry(deps: () => Promise<GateDeps>, auth = loadAuthConfig(), log: Logger = createLogger({fn: 'nasJobsApi'})) {
  return createGateHandler({verifier: createConfiguredVerifier(auth), log}, async ({caller, request}) =>
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
  try {
    handler ??= nasJobsApiEntry(productionGateDeps, loadAuthConfig(), log);
  } catch (error) {
    log.error('nasJobsApi is misconfigured', {error: error as Error});
    sendGateError(res, error);
    return;
  }
  await handler(req, res);
});
