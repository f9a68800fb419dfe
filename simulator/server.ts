// startSimulator(): the programmatic entry point used by tests, benchmarks and simulator/main.ts.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {dispatchAdmin} from './admin/admin-routes.js';
import {dispatchApi} from './http/dispatch-api.js';
import {readBody, sendJson} from './http/http-io.js';
import {ApiError} from './http/rpc-error.js';
import {SimState, type ResolvedOptions} from './sim-state.js';

export interface SimulatorOptions {
  port?: number; // default 0 (ephemeral)
  host?: string; // default '127.0.0.1'
  seed?: number; // PRNG seed, deterministic behaviour for a given seed + clock
  timeScale?: number; // simulated seconds per real second, default 1 (e.g. 60 = one sim minute per real second)
  initialState?: 'JOB_STATE_PENDING' | 'JOB_STATE_QUEUED'; // state returned by create, default PENDING
  readsPerMinute?: number; // per project+location quota bucket for get/list/trialDetails/operations/cancel; default 600
  writesPerMinute?: number; // per project+location bucket for create/delete; default 60
  // Seconds the simulated clock starts ahead of (positive) or behind (negative) the real clock, default 0:
  // every timestamp the simulator reports (job times, history, the Date header) shifts by it.
  clockOffsetSeconds?: number;
}

/** The largest clock offset accepted either way: a year, far beyond any skew worth testing. */
export const MAX_CLOCK_OFFSET_SECONDS = 365 * 86_400;

export interface RunningSimulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new SimState(resolveOptions(options));
  const server = createServer((req, res) => void handleRequest(sim, req, res));
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const {port} = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {url: `http://${urlHost}:${port}`, port, close: () => closeServer(server)};
}

function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    seed: options.seed ?? 1,
    timeScale: options.timeScale ?? 1,
    initialState: options.initialState ?? 'JOB_STATE_PENDING',
    readsPerMinute: options.readsPerMinute ?? 600,
    writesPerMinute: options.writesPerMinute ?? 60,
    clockOffsetSeconds: options.clockOffsetSeconds ?? 0,
  };
  if (!Number.isFinite(resolved.seed)) throw new RangeError('seed must be a finite number');
  if (!(resolved.timeScale >= 0) || !Number.isFinite(resolved.timeScale)) throw new RangeError('timeScale must be >= 0');
  if (!(resolved.readsPerMinute >= 1)) throw new RangeError('readsPerMinute must be >= 1');
  if (!(resolved.writesPerMinute >= 1)) throw new RangeError('writesPerMinute must be >= 1');
  if (!(Math.abs(resolved.clockOffsetSeconds) <= MAX_CLOCK_OFFSET_SECONDS)) {
    throw new RangeError(`clockOffsetSeconds must be within ±${MAX_CLOCK_OFFSET_SECONDS} (one year)`);
  }
  if (resolved.initialState !== 'JOB_STATE_PENDING' && resolved.initialState !== 'JOB_STATE_QUEUED') {
    throw new RangeError('initialState must be JOB_STATE_PENDING or JOB_STATE_QUEUED');
  }
  return resolved;
}

async function handleRequest(sim: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/simulator/')) dispatchAdmin(sim, req, res, url, raw);
    else await dispatchApi(sim, req, res, url, raw);
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('INTERNAL', `Internal error in the simulator: ${String(err)}`);
    if (!(err instanceof ApiError)) console.error(err);
    if (!res.headersSent) sendJson(res, error.httpStatus, error.toEnvelope());
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close(err => (err ? reject(err) : resolve()));
    server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  });
}
