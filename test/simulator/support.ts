// Shared helpers for the simulator tests: a started simulator plus small HTTP wrappers over fetch.
import {afterAll, beforeAll} from 'vitest';
import {startSimulator, type RunningSimulator, type SimulatorOptions} from '../../simulator/server.js';

export const PROJECT = 'demo-sim';
export const LOCATION = 'us-central1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Starts one simulator for the file (frozen clock unless given a timeScale) and closes it afterwards. */
export function useSimulator(options: SimulatorOptions = {}): {readonly sim: RunningSimulator} {
  const holder: {sim?: RunningSimulator} = {};
  beforeAll(async () => {
    holder.sim = await startSimulator({timeScale: 0, readsPerMinute: 1e6, writesPerMinute: 1e6, ...options});
  });
  afterAll(async () => {
    await holder.sim?.close();
  });
  return {
    get sim(): RunningSimulator {
      if (!holder.sim) throw new Error('simulator not started');
      return holder.sim;
    },
  };
}

export async function call<T = any>(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const init: RequestInit = {method, headers: {authorization: 'Bearer test'}};
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${sim.url}${path}`, init);
  const text = await res.text();
  return {status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers};
}

export const api = {
  create: (sim: RunningSimulator, body: unknown, parent = PARENT) => call(sim, 'POST', `/v1/${parent}/nasJobs`, body),
  get: (sim: RunningSimulator, name: string, query = '') => call(sim, 'GET', `/v1/${name}${query}`),
  list: (sim: RunningSimulator, query = '', parent = PARENT) => call(sim, 'GET', `/v1/${parent}/nasJobs${query}`),
  cancel: (sim: RunningSimulator, name: string) => call(sim, 'POST', `/v1/${name}:cancel`, {}),
  remove: (sim: RunningSimulator, name: string) => call(sim, 'DELETE', `/v1/${name}`),
};

export async function admin<T = any>(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  return call<T>(sim, method, `/simulator/${path}`, body);
}

export async function advance(sim: RunningSimulator, seconds: number): Promise<void> {
  const reply = await admin(sim, 'POST', 'clock:advance', {seconds});
  if (reply.status !== 200) throw new Error(`clock:advance failed: ${JSON.stringify(reply.body)}`);
}

/** Creates a job and fails loudly if the simulator refuses it. */
export async function createOk(sim: RunningSimulator, overrides: JobOverrides = {}, parent = PARENT): Promise<any> {
  const reply = await api.create(sim, aJobBody(overrides), parent);
  if (reply.status !== 200) throw new Error(`create failed: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export interface JobOverrides {
  displayName?: string;
  labels?: Record<string, string>;
  maxTrialCount?: number;
  maxParallelTrialCount?: number;
  maxFailedTrialCount?: number;
  goal?: 'MAXIMIZE' | 'MINIMIZE';
  trainTrialSpec?: Record<string, unknown>;
  acceleratorCount?: number;
}

/** A valid create body in the shape of §2.7 of the API reference. */
export function aJobBody(o: JobOverrides = {}): Record<string, any> {
  const searchTrialSpec: Record<string, unknown> = {
    maxTrialCount: o.maxTrialCount ?? 6,
    maxParallelTrialCount: o.maxParallelTrialCount ?? 2,
    searchTrialJobSpec: {
      workerPoolSpecs: [{
        machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: o.acceleratorCount ?? 1},
        replicaCount: '1',
        containerSpec: {imageUri: 'us-docker.pkg.dev/p/nas/trainer:latest', args: ['--epochs=1']},
      }],
    },
  };
  if (o.maxFailedTrialCount !== undefined) searchTrialSpec.maxFailedTrialCount = o.maxFailedTrialCount;
  const algorithm: Record<string, unknown> = {
    multiTrialAlgorithm: 'REINFORCEMENT_LEARNING',
    metric: {metricId: o.goal === 'MINIMIZE' ? 'loss' : 'top_1_accuracy', goal: o.goal ?? 'MAXIMIZE'},
    searchTrialSpec,
  };
  if (o.trainTrialSpec) algorithm.trainTrialSpec = o.trainTrialSpec;
  return {
    displayName: o.displayName ?? 'search-job',
    labels: o.labels ?? {'sim-scenario': 'succeed', 'team': 'vision'},
    nasJobSpec: {searchSpaceSpec: '{}', multiTrialAlgorithmSpec: algorithm},
  };
}
