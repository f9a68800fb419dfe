import * as ff from '@google-cloud/functions-framework';
import {createDashboardAuthenticator, type DashboardVerifiers} from '../shared/adapters/dashboard/dashboard-auth.js';
import {createDashboardHandler} from '../shared/adapters/dashboard/dashboard-handler.js';
import {loadDashboardPage} from '../shared/adapters/dashboard/dashboard-page.js';
import {sendGateError} from '../shared/adapters/http/send-gate-error.js';
import {loadDashboardConfig, type DashboardConfig} from '../shared/config.js';
import {createLogger, type Logger} from '../shared/log.js';
import type {DashboardDeps} from '../shared/use-cases/dashboard/dashboard-deps.js';
import {productionDashboardDeps} from './wiring/dashboard.js';

/** dashboard: the page over the Firestore mirror and its JSON API, for the same identities as the gate. */
export function dashboardEntry(config: Pick<DashboardConfig, 'auth'>, deps: () => Promise<DashboardDeps>, log: Logger, verifiers: DashboardVerifiers = {}) {
  return createDashboardHandler({authenticate: createDashboardAuthenticator(config.auth, verifiers), deps, page: loadDashboardPage(), log});
}

// Built on the first request, so a broken configuration answers (and logs why) instead of crashing the instance.
let handler: ReturnType<typeof dashboardEntry> | undefined;
const log = createLogger({fn: 'dashboard'});
ff.http('dashboard', async (req, res) => {
  try {
    if (!handler) {
      const config = loadDashboardConfig();
      handler = dashboardEntry(config, () => productionDashboardDeps(config), log);
    }
  } catch (error) {
    log.error('dashboard is misconfigured', {error: error as Error});
    sendGateError(res, error);
    return;
  }
  await handler(req, res);
});
