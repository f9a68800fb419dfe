// The /simulator/ admin surface (documented in simulator/README.md). Admin calls bypass faults,
// quotas and stats: they steer the simulation and must keep working while the API is being broken.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {parseJsonBody, sendJson} from '../http/http-io.js';
import {ApiError} from '../http/rpc-error.js';
import {advanceJob} from '../model/lifecycle.js';
import {formatTimestamp} from '../proto/time-format.js';
import type {SimState} from '../sim-state.js';
import {BodyReader} from './body-reader.js';
import {patchConfig} from './config-admin.js';
import {addFault} from './faults-admin.js';
import {forceJob} from './force-job.js';
import {renderHistory} from './history.js';
import {setAcceleratorQuota, setRequestQuota} from './quota-admin.js';
import {seedJobs} from './seed-jobs.js';

type AdminHandler = (body: unknown, sim: SimState, query: URLSearchParams) => unknown;

const ADMIN_ROUTES: Record<string, AdminHandler> = {
  'GET /simulator/health': () => ({ok: true}),
  'GET /simulator/history': (_, sim, query) => renderHistory(sim, query.get('name') ?? undefined),
  'POST /simulator/reset': (_, sim) => (sim.reset(), {}),
  'GET /simulator/clock': (_, sim) => ({now: formatTimestamp(sim.clock.now())}),
  'POST /simulator/clock:advance': advanceClock,
  'POST /simulator/jobs:force': forceJob,
  'POST /simulator/jobs:seed': seedJobs,
  'GET /simulator/faults': (_, sim) => ({faults: sim.faults.list()}),
  'POST /simulator/faults': addFault,
  'DELETE /simulator/faults': (_, sim) => (sim.faults.clear(), {}),
  'GET /simulator/quota': (_, sim) => sim.quota.current,
  'POST /simulator/quota': setRequestQuota,
  'POST /simulator/accelerator-quota': setAcceleratorQuota,
  'GET /simulator/stats': (_, sim) => sim.stats.snapshot(),
  'GET /simulator/config': (_, sim) => sim.config,
  'POST /simulator/config': patchConfig,
};

export function dispatchAdmin(sim: SimState, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
  const method = req.method ?? 'GET';
  const handler = ADMIN_ROUTES[`${method} ${url.pathname}`];
  try {
    if (!handler) {
      const known = Object.keys(ADMIN_ROUTES).some(key => key.endsWith(` ${url.pathname}`));
      if (known) throw new ApiError('UNIMPLEMENTED', `Method ${method} is not allowed on ${url.pathname}.`, [], 405);
      throw new ApiError('NOT_FOUND', `No simulator admin endpoint ${method} ${url.pathname}; see simulator/README.md.`);
    }
    sendJson(res, 200, handler(parseJsonBody(raw), sim, url.searchParams));
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('INTERNAL', String(err));
    if (!(err instanceof ApiError)) console.error(err);
    sendJson(res, error.httpStatus, error.toEnvelope());
  }
}

/** Moves the simulated clock forward and applies, in order, everything that became due. */
function advanceClock(body: unknown, sim: SimState): {now: string} {
  const reader = new BodyReader(body, ['seconds']);
  const seconds = reader.number('seconds', {required: true, min: 0, max: 10 * 365 * 86400});
  reader.done();
  const now = sim.clock.advance(seconds!);
  for (const target of sim.store.allTargets()) for (const job of target.jobs.values()) advanceJob(job, now);
  return {now: formatTimestamp(now)};
}
