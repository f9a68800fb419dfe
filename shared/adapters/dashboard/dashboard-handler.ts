// The dashboard's HTTP surface: the page, `GET …/api/jobs` (the table, `?state=&team=&project=`) and
// `GET …/api/jobs/{id}` (one job; the id is the mirror's document id). Paths are matched by their
// end, so the function works under any prefix (e.g. …/dashboard/api/jobs). Every request is
// authenticated first, the page included; errors use the gate's envelope and never carry internals.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {methodNotAllowed, notFound, policyDenied} from '../../core/gate/gate-errors.js';
import {GateError} from '../../core/gate/gate-error.js';
import {parseRowFilter} from '../../core/dashboard/index.js';
import type {Logger} from '../../log.js';
import type {DashboardDeps} from '../../use-cases/dashboard/dashboard-deps.js';
import {listDashboardJobs} from '../../use-cases/dashboard/list-dashboard-jobs.js';
import {showDashboardJob} from '../../use-cases/dashboard/show-dashboard-job.js';
import {DASHBOARD_JOB_ID} from '../firestore/dashboard-store.js';
import {sendGateError} from '../http/send-gate-error.js';
import type {DashboardAuthenticator} from './dashboard-auth.js';
import type {DashboardPage} from './dashboard-page.js';

/** Options of {@link createDashboardHandler}. */
export interface DashboardHandlerOptions {
  readonly authenticate: DashboardAuthenticator;
  /** Built on first use; a failure answers 500 and is tried again on the next request. */
  readonly deps: () => Promise<DashboardDeps>;
  readonly page: DashboardPage;
  readonly log: Logger;
}

const DETAIL = /\/api\/jobs\/([^/]+)$/;

/** The request handler (Express's `req`/`res` are Node's, extended). */
export function createDashboardHandler(options: DashboardHandlerOptions) {
  const {authenticate, deps, page, log} = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw methodNotAllowed(req.method ?? '', ['GET', 'HEAD']);
      }
      const viewer = await authenticate(req.headers);
      const path = url.pathname.replace(/\/+$/, '');
      if (path.endsWith('/api/jobs')) {
        const filter = parseRowFilter(Object.fromEntries(url.searchParams));
        return sendJson(res, await listDashboardJobs(await deps(), viewer, filter));
      }
      const detail = DETAIL.exec(path);
      if (detail) {
        const id = detail[1]!; // document ids are URL-safe as they are: nothing to decode
        if (!DASHBOARD_JOB_ID.test(id)) throw notFound('no such job', 'UNKNOWN_JOB');
        const answer = await showDashboardJob({...(await deps()), log}, viewer, id);
        if (answer.kind === 'not-found') throw notFound('no such job in the mirror', 'UNKNOWN_JOB');
        if (answer.kind === 'forbidden') throw policyDenied([{rule: 'access', field: 'caller', message: 'no access grant lets you get this job'}]);
        return sendJson(res, answer.view);
      }
      if (path.includes('/api/')) throw notFound('no such resource', 'UNKNOWN_PATH');
      res.writeHead(200, page.headers).end(req.method === 'HEAD' ? undefined : page.html);
    } catch (error) {
      if (!(error instanceof GateError)) log.error('dashboard request failed', {path: url.pathname, error: error as Error});
      sendGateError(res, error);
    }
  };
}

function sendJson(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
  }).end(text);
}
