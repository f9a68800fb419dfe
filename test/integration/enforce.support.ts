// Set-up of enforce's integration tests: the poller fixture (the simulator over HTTP on a frozen
// clock, the Firestore and Pub/Sub emulators, a subscription collecting every event), enforce on the
// real Firestore store, and the poller's events handed to enforce as Pub/Sub would deliver them.
import {createFirestoreEnforceStore} from '../../shared/adapters/firestore/index.js';
import type {VertexNasClient} from '../../shared/adapters/vertex/index.js';
import {parsePolicy} from '../../shared/core/policy/index.js';
import type {EnforceDeps} from '../../shared/use-cases/enforce/enforce-deps.js';
import {handleEnforceEvent} from '../../shared/use-cases/enforce/handle-enforce-event.js';
import {runEnforceTick, type TickReport} from '../../shared/use-cases/enforce/run-enforce-tick.js';
import {startPollerFixture, TARGET} from './poller.support.js';
import {simClient} from './vertex-client.support.js';

export const ENFORCEMENT = 'nasmon.nasjob.v1.enforcement';

/** The poller fixture plus enforce under the runtime section `runtime`. */
export async function startEnforceFixture(projectId: string, runtime: Record<string, unknown>) {
  const f = await startPollerFixture(projectId);
  await f.lease();
  const policy = parsePolicy({text: JSON.stringify({version: 1, access: [], runtime}), format: 'json', file: 'enforce-test.json'}).runtime;
  // One attempt per call: what fails is retried by enforce at a later tick, which is what is under test.
  const {client} = simClient(f.sim, {retry: {maxAttempts: 1}});
  let simNowMs = Date.now();
  const deps: EnforceDeps = {
    policy, store: createFirestoreEnforceStore({firestore: f.firestore}), vertex: client, publisher: f.publisher, log: f.log,
    now: () => new Date(simNowMs), settings: {forceDryRun: false, maxDuePerTick: 100, sweepEveryMs: 3_600_000, concurrency: 4},
  };
  const syncClock = async () => {
    simNowMs = Date.parse(await f.simNow());
  };
  let delivered = 0;
  return {
    ...f, deps, client,
    /** Seeds one job with these labels (stuck running, and cancelled for sure if cancelled) and returns its name. */
    async seed(labels: Record<string, string>): Promise<string> {
      const body = {...TARGET, count: 1, maxTrialCount: 20, maxParallelTrialCount: 2, labels: {'sim-scenario': 'stuck-running', 'sim-cancel': 'cancelled', ...labels}};
      return ((await f.admin('POST', 'jobs:seed', body)) as {names: [string]}).names[0];
    },
    /** One poll cycle, then every event it published handed to enforce in order (as a push subscription would). */
    async pollAndDeliver(): Promise<void> {
      const report = await f.cycle();
      const jobEvents = () => f.received.filter(event => event.type !== ENFORCEMENT);
      const deadline = Date.now() + 10_000;
      while (jobEvents().length < delivered + report.published && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      await syncClock();
      for (const event of jobEvents().slice(delivered)) {
        delivered += 1;
        await handleEnforceEvent(deps, {messageId: event.id, attributes: event.attributes, json: event.data});
      }
    },
    /** One enforce tick at the simulator's time. */
    async tick(overrides: Partial<EnforceDeps> = {}): Promise<TickReport> {
      await syncClock();
      return runEnforceTick({...deps, ...overrides});
    },
    /** Moves the simulator to `hours` after the job started (it must be running). */
    async advanceToHours(name: string, hours: number): Promise<void> {
      const started = Date.parse((await client.getNasJob(name)).startTime!);
      const seconds = (started + hours * 3_600_000 - Date.parse(await f.simNow())) / 1000;
      if (seconds > 0) await f.sim.advance(seconds);
      await syncClock();
    },
    /** Enforcement events received on the topic for `name`, as `action` (`action/dry-run` when dry). */
    enforcementOf(name: string): string[] {
      return f.received.filter(event => event.type === ENFORCEMENT && event.attributes['ce-nasjob'] === name)
        .map(event => `${String(event.data.action)}${event.data.dryRun ? '/dry-run' : ''}`);
    },
    /** Enforcement audit entries of `name`, by key. */
    async auditOf(name: string): Promise<string[]> {
      const snapshot = await f.firestore.collection('nasmonAudit').where('target', '==', name).orderBy('at').get();
      return snapshot.docs.map(doc => String(doc.get('key')));
    },
    /** How many cancel calls the simulator served, whatever their answer. */
    async cancelCalls(): Promise<number> {
      return (await f.sim.stats()).byMethod['nasJobs.cancel'] ?? 0;
    },
  };
}

export type EnforceFixture = Awaited<ReturnType<typeof startEnforceFixture>>;

/** Brings a seeded job from PENDING to RUNNING, mirrored, with enforce told about it. */
export async function startRunning(f: EnforceFixture): Promise<void> {
  await f.pollAndDeliver();
  await f.sim.advance(600); // pending lasts 60–300 s
  await f.pollAndDeliver();
}

/** Waits until the enforcement events of `name` reach `count`, then a little more for stray duplicates. */
export async function waitForEnforcement(f: EnforceFixture, name: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (f.enforcementOf(name).length < count && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  await new Promise(resolve => setTimeout(resolve, 300));
  return f.enforcementOf(name);
}

/** The client with its cancel preceded by `before` (to change the simulator between the get and the cancel). */
export function cancelPrecededBy(client: VertexNasClient, before: (name: string) => Promise<unknown>): EnforceDeps['vertex'] {
  return {getNasJob: name => client.getNasJob(name), cancelNasJob: async name => {
    await before(name);
    return client.cancelNasJob(name);
  }};
}

