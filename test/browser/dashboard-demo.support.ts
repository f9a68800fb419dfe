// A demo-like Firestore for the dashboard, written the way production writes it: the NAS simulator
// runs the jobs (over HTTP, on a clock the test moves), the real poller mirrors them and publishes
// their events, enforce hears those events and ticks (warning, cancelling and confirming), and the
// gate's use case audits a create and a refused cancel. Nothing is written by hand.
import {randomUUID, createHash} from 'node:crypto';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import type {Target} from '../../shared/config.js';
import {parseGateRequest} from '../../shared/core/gate/parse-gate-request.js';
import {parsePolicy, type Policy} from '../../shared/core/policy/index.js';
import type {GateDeps} from '../../shared/use-cases/gate/gate-deps.js';
import {handleGateCall} from '../../shared/use-cases/gate/handle-gate-call.js';
import {runPollCycle} from '../../shared/use-cases/poll/run-poll-cycle.js';
import {startEnforceFixture, type EnforceFixture} from '../integration/enforce.support.js';
import {DEFAULT_SETTINGS, TARGET} from '../integration/poller.support.js';

/** A second target, so the project filter has a choice. */
export const TARGET_B: Target = {project: 'nasmon-it-b', location: 'europe-west4'};
/** The display name of the job whose name tries to inject markup. */
export const XSS_NAME = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

const RUNTIME = {rules: [
  {name: 'max-run', kind: 'max-run-time', limit: '10h'},
  {name: 'queue-time', kind: 'max-queue-time', limit: '3h'},
]};

/** The policy of the demo: everyone at example.com may act; display names are checked in warn mode; the runtime rules above. */
export const DEMO_POLICY: Policy = parsePolicy({format: 'json', file: 'dashboard-demo.json', text: JSON.stringify({
  version: 1,
  teams: {nlp: {emails: ['dave@example.com']}, vision: {emails: ['bob@example.com']}},
  access: [{name: 'staff', callers: {domains: ['example.com']}, actions: ['*']}],
  submissionRules: [{name: 'display-name', kind: 'display-name', pattern: '[a-z][a-z0-9-]{2,62}', mode: 'warn'}],
  runtime: RUNTIME,
})});

/** The demo's jobs by role, once it has played out. */
export interface Demo {
  readonly f: EnforceFixture;
  readonly jobs: {readonly succeeded: string; readonly failed: string; readonly cancelled: string; readonly overrun: string; readonly created: string; readonly other: string};
  /** The simulator's clock, which the dashboard must use too (the test moved it hours ahead). */
  readonly simNowMs: () => number;
}

/** Seeds and plays the demo: 11 simulated hours in 30-minute steps (the slow search overruns its 10 h limit). */
export async function playDemo(projectId: string): Promise<Demo> {
  const f = await startEnforceFixture(projectId, RUNTIME);
  await f.store.acquireLease(TARGET_B, 'holder-test', 24 * 3_600_000);
  const seed = async (target: Target, displayNamePrefix: string, labels: Record<string, string>, maxTrialCount = 8) =>
    ((await f.admin('POST', 'jobs:seed', {...target, count: 1, displayNamePrefix, labels, maxTrialCount, maxParallelTrialCount: 2})) as {names: [string]}).names[0];
  const succeeded = await seed(TARGET, 'mnasnet-search', {team: 'vision', 'sim-scenario': 'succeed'});
  const failed = await seed(TARGET, 'a100-capacity-probe', {team: 'vision', 'sim-scenario': 'fail-capacity'});
  const cancelled = await seed(TARGET, 'queued-search', {team: 'speech', 'sim-scenario': 'stuck-pending', 'sim-cancel': 'cancelled'});
  const overrun = await seed(TARGET, 'conformer-long-search', {team: 'speech', 'sim-scenario': 'slow'}, 40);
  const other = await seed(TARGET_B, 'efficientnet-search', {team: 'speech', 'sim-scenario': 'succeed'}, 4);
  let simNowMs = Date.parse(await f.simNow());
  const gate = gateDeps(f, () => new Date(simNowMs));
  const created = await createThroughGate(gate);
  await f.pollAndDeliver();
  await gateCall(gate, 'mallory@example.org', 'POST', `/v1/${created.replace(/^projects\/\d+/, `projects/${TARGET.project}`)}:cancel`).catch(() => undefined);
  for (let step = 0; step < 22; step++) {
    await f.sim.advance(1800);
    await f.pollAndDeliver();
    simNowMs = Date.parse(await f.simNow());
    const poll = {vertex: f.vertex, store: f.store, publisher: f.publisher, log: f.log, now: () => new Date(simNowMs)};
    await runPollCycle(TARGET_B, 'holder-test', poll, DEFAULT_SETTINGS);
    await f.tick();
  }
  // The last cancel settles in Vertex within minutes; its CANCELLED reaches enforce, which confirms it.
  await f.sim.advance(600);
  await f.pollAndDeliver();
  simNowMs = Date.parse(await f.simNow());
  return {f, jobs: {succeeded, failed, cancelled, overrun, created, other}, simNowMs: () => simNowMs};
}

function gateDeps(f: EnforceFixture, now: () => Date): GateDeps {
  return {
    policy: DEMO_POLICY, vertex: f.client, store: createFirestoreGateStore({firestore: f.firestore}), publisher: f.publisher, log: f.log,
    now, newId: randomUUID, requestKey: (caller, requestId) => createHash('sha256').update(`${caller}\n${requestId}`).digest('hex').slice(0, 40),
  };
}

function gateCall(deps: GateDeps, email: string, method: string, target: string, body?: unknown) {
  return handleGateCall(deps, {email}, parseGateRequest({method, target, body}));
}

// A create whose display name tries to inject markup: allowed, with the display-name rule's warning.
async function createThroughGate(deps: GateDeps): Promise<string> {
  const outcome = await gateCall(deps, 'dave@example.com', 'POST', `/v1/projects/${TARGET.project}/locations/${TARGET.location}/nasJobs`, {
    displayName: XSS_NAME,
    labels: {team: 'nlp', 'sim-scenario': 'succeed'},
    nasJobSpec: {multiTrialAlgorithmSpec: {
      metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
      searchTrialSpec: {maxTrialCount: 4, maxParallelTrialCount: 2, maxFailedTrialCount: 2, searchTrialJobSpec: {workerPoolSpecs: [{
        machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1},
        replicaCount: '1', containerSpec: {imageUri: 'us-docker.pkg.dev/nasmon-it/nas/trainer:1'}}]}},
    }},
  });
  return (outcome.body as {name: string}).name;
}
