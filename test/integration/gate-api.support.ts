// Set-up of the gate's integration tests: the real nasJobsApi entry point (functions-framework test
// server, real HTTP), the example policy, local-issuer tokens, the simulator and the emulators.
import {mkdtempSync, readFileSync} from 'node:fs';
import {createHash, randomUUID} from 'node:crypto';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../../shared/adapters/auth/index.js';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import {loadPolicyFile} from '../../shared/adapters/policy/load-policy-file.js';
import {loadConfig} from '../../shared/config.js';
import type {Policy} from '../../shared/core/policy/index.js';
import type {GateDeps} from '../../shared/use-cases/gate/gate-deps.js';
import {nasJobsApiEntry} from '../../functions/nas-jobs-api.js';
import {runPollCycle} from '../../shared/use-cases/poll/run-poll-cycle.js';
import {DEFAULT_SETTINGS, startPollerFixture} from './poller.support.js';

export const AUDIENCE = 'http://nasmon.test/nasJobsApi';
export const PROJECT = 'nas-dev-a';
export const LOCATION = 'us-central1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;

/** A create body that satisfies the example policy. */
export function goodJob(overrides: {displayName?: string; labels?: Record<string, string>; machineType?: string; maxTrialCount?: number} = {}) {
  return {
    displayName: overrides.displayName ?? 'mnasnet-search',
    labels: overrides.labels ?? {team: 'nlp', 'cost-center': 'cc-1234'},
    nasJobSpec: {multiTrialAlgorithmSpec: {
      metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
      searchTrialSpec: {maxTrialCount: overrides.maxTrialCount ?? 100, maxParallelTrialCount: 4, maxFailedTrialCount: 10,
        searchTrialJobSpec: {workerPoolSpecs: [{
          machineSpec: {machineType: overrides.machineType ?? 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 2},
          replicaCount: '1', containerSpec: {imageUri: 'us-docker.pkg.dev/nas-dev-a/nas/trainer:1'}}]}},
    }},
  };
}

/** The example policy's text without its team-concurrency rule: no team's jobs are counted, no slot reserved. */
export function examplePolicyWithoutTeamLimit(): string {
  const text = readFileSync('test/fixtures/policy/example.yaml', 'utf8').replace(/  - name: team-concurrency\n(    .*\n)+/, '');
  if (text.includes('team-concurrency')) throw new Error('the example policy\'s team-concurrency rule has moved: update examplePolicyWithoutTeamLimit');
  return text;
}

/** The gate over real HTTP, with its Firestore, simulator and a poller to mirror jobs. */
export async function startGateFixture(projectId: string, name: string) {
  const poller = await startPollerFixture(projectId);
  const issuerDir = mkdtempSync(join(tmpdir(), 'nasmon-issuer-'));
  const config = loadConfig({
    GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: `${PROJECT}/${LOCATION}`,
    NASMON_AUTH_MODE: 'local', NASMON_AUTH_AUDIENCE: AUDIENCE, NASMON_LOCAL_ISSUER_DIR: issuerDir,
    NASMON_GATE_CALLS_PER_MINUTE: '0', // the property test sends thousands of calls as a few callers; gate-edge tests the limit
  });
  const issuer = loadOrCreateLocalIssuer(issuerDir);
  // Audit writes the gate's answers did not wait for (a successful create's): read-backs wait for them.
  const pending = new Set<Promise<void>>();
  const deps: GateDeps = {
    policy: await loadPolicyFile('test/fixtures/policy/example.yaml'),
    vertex: poller.vertex, store: createFirestoreGateStore({firestore: poller.firestore}), publisher: poller.publisher,
    log: poller.log, now: () => new Date(), newId: randomUUID,
    requestKey: (caller, requestId) => createHash('sha256').update(`${caller}\n${requestId}`).digest('hex').slice(0, 40),
    duplicateWaitMs: 30_000, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), watchedTargets: config.targets,
    background: work => {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
  };
  let served = deps;
  ff.http(name, nasJobsApiEntry(() => Promise.resolve(served), config, poller.log));
  const server = getTestServer(name).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (email: string) => signLocalIdToken(issuer, {email, audience: AUDIENCE});
  return {
    ...poller, deps, base, token, issuer, port: (server.address() as AddressInfo).port,
    /** Calls the gate as `email`; returns status and parsed body. */
    async call(email: string | undefined, method: string, path: string, body?: unknown) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {...(email ? {authorization: `Bearer ${token(email)}`} : {}), ...(body === undefined ? {} : {'content-type': 'application/json'})},
        ...(body === undefined ? {} : {body: JSON.stringify(body)}),
      });
      const text = await response.text();
      return {status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any>};
    },
    /** One poll cycle of the gate's target, so the mirror catches up with the simulator. */
    async mirror() {
      const target = {project: PROJECT, location: LOCATION};
      await poller.store.acquireLease(target, 'gate-test', 3_600_000);
      return runPollCycle(target, 'gate-test', {...poller.deps, now: () => new Date()}, DEFAULT_SETTINGS);
    },
    async auditEntries() {
      await Promise.all([...pending]);
      const snapshot = await poller.firestore.collection('nasmonAudit').orderBy('at').get();
      return snapshot.docs.map(doc => doc.data());
    },
    /** Serves later calls with `policy` instead of the example policy. */
    usePolicy(policy: Policy) {
      served = {...deps, policy};
    },
    /** Serves later calls with `store` (then back to the fixture's with `useStore()`). */
    useStore(store: GateDeps['store'] = deps.store) {
      served = {...served, store};
    },
    /** Serves later calls with `publisher` (then back to the fixture's with `usePublisher()`). */
    usePublisher(publisher: GateDeps['publisher'] = deps.publisher) {
      served = {...served, publisher};
    },
    /** Calls the simulator has answered so far (admin calls are not counted). */
    async simCalls(): Promise<number> {
      return ((await poller.admin('GET', 'stats')) as {total: number}).total;
    },
    async simJobs() {
      const response = await fetch(`${poller.sim.url}/v1/${PARENT}/nasJobs?pageSize=100`);
      return ((await response.json()) as {nasJobs?: Array<Record<string, any>>}).nasJobs ?? [];
    },
    async closeGate() {
      server.close();
      await poller.close();
    },
  };
}

export type GateFixture = Awaited<ReturnType<typeof startGateFixture>>;
