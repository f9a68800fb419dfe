// Shared set-up of the vertex-client integration tests: a real simulator on 127.0.0.1, its admin
// endpoints, and a client that talks to it over real HTTP with a fixed OAuth2 token.
import {OAuth2Client} from 'google-auth-library';
import {startSimulator} from '../../simulator/server.js';
import {createVertexNasClient, type VertexNasClientOptions} from '../../shared/adapters/vertex/vertex-nas-client.js';

/** The test project and location; the simulator names jobs with the project's number. */
export const PROJECT = 'nasmon-it';
export const LOCATION = 'us-central1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;

/** A fault rule of POST /simulator/faults. */
export interface FaultRule {
  kind: 'unavailable' | 'deadline' | 'rate-limit' | 'latency' | 'reset' | 'truncate';
  rate?: number;
  count?: number;
  method?: string;
  pathContains?: string;
  latencyMs?: number;
  retryDelaySeconds?: number;
  afterEffect?: boolean;
}

/** Request counters of GET /simulator/stats. */
export interface SimStats {
  total: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
}

/** A running simulator with typed admin calls. */
export type Sim = Awaited<ReturnType<typeof startSim>>;

/** Starts a simulator on a free loopback port. */
export async function startSim(options: {seed?: number; timeScale?: number; readsPerMinute?: number; writesPerMinute?: number; clockOffsetSeconds?: number} = {}) {
  const server = await startSimulator({port: 0, seed: 7, timeScale: 1, ...options});
  const url = server.url.replace('localhost', '127.0.0.1');
  const admin = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/simulator/${path}`, {
      method,
      headers: {'content-type': 'application/json'},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator admin ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    url,
    close: () => server.close(),
    reset: () => admin('POST', 'reset'),
    advance: (seconds: number) => admin('POST', 'clock:advance', {seconds}),
    force: (name: string, state: string, error?: {errorCode: number; errorMessage: string}) =>
      admin('POST', 'jobs:force', {name, state, ...error}),
    seed: (count: number, project = PROJECT, location = LOCATION) =>
      admin<{names: string[]}>('POST', 'jobs:seed', {project, location, count}),
    fault: (rule: FaultRule) => admin('POST', 'faults', rule),
    clearFaults: () => admin('DELETE', 'faults'),
    quota: (limits: {readsPerMinute?: number; writesPerMinute?: number}) => admin('POST', 'quota', limits),
    acceleratorQuota: (acceleratorType: string, limit: number) =>
      admin('POST', 'accelerator-quota', {project: PROJECT, location: LOCATION, acceleratorType, limit}),
    config: (config: Record<string, unknown>) => admin('POST', 'config', config),
    stats: () => admin<SimStats>('GET', 'stats'),
    /** Raw GET of an API path, for checks below the client (e.g. numeric enums). */
    rawGet: async (path: string) => (await fetch(`${url}${path}`, {headers: {authorization: 'Bearer fixed-test-token'}})).json() as Promise<unknown>,
  };
}

/** A client over real HTTP to the simulator; sleeps are recorded and shortened so tests stay fast. */
export function simClient(sim: Sim, overrides: Partial<VertexNasClientOptions> = {}) {
  const auth = new OAuth2Client();
  auth.setCredentials({access_token: 'fixed-test-token', expiry_date: Date.now() + 3600e3});
  const sleeps: number[] = [];
  const client = createVertexNasClient({
    auth,
    baseUrl: sim.url,
    timeoutMs: 5000,
    createSettleMs: 50,
    retry: {baseDelayMs: 10, maxDelayMs: 50, maxServerDelayMs: 120_000},
    sleep: ms => {
      sleeps.push(ms);
      return new Promise(resolve => setTimeout(resolve, Math.min(ms, 20)));
    },
    ...overrides,
  });
  return {client, sleeps};
}

/** The difference between two stats snapshots, by REST method and HTTP status. */
export function statsDelta(before: SimStats, after: SimStats): {byMethod: Record<string, number>; byStatus: Record<string, number>} {
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)]).filter(([, v]) => v !== 0));
  return {byMethod: diff(before.byMethod, after.byMethod), byStatus: diff(before.byStatus, after.byStatus)};
}
