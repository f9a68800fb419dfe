// The dashboard's ports as plain objects, and the entry point served by the functions framework's
// test server over real loopback HTTP (one server per registered name).
import type {AddressInfo} from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {dashboardEntry} from '../../../../functions/dashboard.js';
import type {DashboardVerifiers} from '../../../../shared/adapters/dashboard/dashboard-auth.js';
import type {DashboardAuthConfig} from '../../../../shared/config.js';
import type {DashboardJob, JobFile, TrialsResult} from '../../../../shared/core/dashboard/index.js';
import type {Policy} from '../../../../shared/core/policy/index.js';
import {createLogger} from '../../../../shared/log.js';
import type {DashboardDeps} from '../../../../shared/use-cases/dashboard/dashboard-deps.js';
import {entered, NOW, trial} from '../../core/dashboard/dashboard-kit.js';

/** Deps over an in-memory mirror of `jobs`; each job has a short history and two finished trials. */
export function fakeDeps(jobs: readonly DashboardJob[], policy?: Policy): DashboardDeps {
  const files = new Map<string, JobFile>(jobs.map(job => [job.id, {job, history: [entered(1, 'PENDING', -10), entered(2, 'RUNNING', 0)], audit: [], deliveries: []}]));
  const trials: TrialsResult = {kind: 'trials', trials: [trial('1', 20, 0.5), trial('2', 40, 0.7)]};
  return {
    store: {recentJobs: async () => ({jobs, truncated: false, unreadable: 0}), jobFile: async id => files.get(id)},
    trials: {trialsOf: async () => trials},
    ...(policy ? {policy} : {}), maxJobs: 500, refreshSeconds: 5, now: () => new Date(NOW),
  };
}

/** Auth settings of an open dashboard, or of a Google one (verifiers are passed in). */
export const OPEN: DashboardAuthConfig = {mode: 'none', idTokenAudiences: [], idTokenMode: 'google', localIssuerDir: '', iapAudiences: []};
export const GOOGLE: DashboardAuthConfig = {...OPEN, mode: 'google', idTokenAudiences: ['https://dashboard.test'], iapAudiences: ['/projects/1/apps/x']};

/** Registers the entry point under `name` and serves it on 127.0.0.1; `lines` collects the log. */
export async function serveDashboard(name: string, auth: DashboardAuthConfig, deps: () => Promise<DashboardDeps>, verifiers: DashboardVerifiers = {}) {
  const lines: string[] = [];
  ff.http(name, dashboardEntry({auth}, deps, createLogger({}, line => lines.push(line)), verifiers));
  const server = getTestServer(name).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base, lines,
    get: (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, {headers}),
    close: () => new Promise(resolve => server.close(resolve)),
  };
}
