// `npm run bench:api`: what the HTTP gate costs on this machine. nasJobsApi runs as deployed (the
// functions framework over the built code, in its own process, configured from the environment)
// against the NAS simulator over real HTTP (in its own process too) and the real Firestore and
// Pub/Sub emulators (started here unless *_EMULATOR_HOST are set). Measures the policy engine alone,
// validateOnly and real creates under load, and the gate's overhead over calling the simulator
// directly, then checks issue 4's targets. See scripts/bench-api/*.ts for what is measured and how.
//   npm run bench:api -- [--json] [--evaluations=20000] [--validate-requests=3000] [--validate-concurrency=32]
//                        [--creates=300] [--create-concurrency=16] [--pairs=200] [--idle-pairs=10] [--warmup=4000] [--profile]
import {cpus, loadavg} from 'node:os';
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {loadPolicyFile} from '../shared/adapters/policy/load-policy-file.js';
import {ensureTopic} from '../shared/adapters/pubsub/index.js';
import {parseFlags} from './bench/args.js';
import {resetFirestoreProject, useEmulators} from './bench/emulators.js';
import {createPrinter, type Printer} from './bench/report.js';
import {simAdmin} from './bench/sim-admin.js';
import {startBenchSimulator} from './bench/simulator-handle.js';
import {ms, printTargetChecks} from './bench-api/checks.js';
import {EXAMPLE_POLICY, startBenchGate} from './bench-api/gate-server.js';
import {createBenchClient} from './bench-api/http-load.js';
import {BENCH_TEAMS, BURST_TEAM, EXAMPLE_TEAM_LIMIT, loadTeam, loneTeam} from './bench-api/job-body.js';
import {timePolicyEvaluation} from './bench-api/policy-timing.js';
import {seedMirror} from './bench-api/mirror-seed.js';
import {gateCreate, measureLoad, measureOverhead, measureProbe, type LoadRow, type OverheadRow, type ScenarioSetup} from './bench-api/scenarios.js';

const USAGE = 'usage: npm run bench:api -- [--json] [--evaluations=20000] [--validate-requests=3000] [--validate-concurrency=32] [--creates=300] [--create-concurrency=16] [--pairs=200] [--idle-pairs=10] [--warmup=4000] [--mirror-jobs=2000] [--profile]';
const DEFAULTS = {json: false, evaluations: 20_000, validateRequests: 3000, validateConcurrency: 32, creates: 300, createConcurrency: 16, pairs: 200, idlePairs: 10, warmup: 4000, mirrorJobs: 2000, profile: false};
const PROJECT_ID = 'bench-api';
const WORK_DIR = 'test-artifacts/bench-api';
// Past the 5 s a gate instance's view or board of the team slots may serve (slotViewMaxAgeMs).
const IDLE_MS = 5500;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), DEFAULTS, USAGE);
  // No poller runs, so no job the bench creates ever ends: past this, the teams' limits would refuse creates.
  const maxCreates = BENCH_TEAMS * EXAMPLE_TEAM_LIMIT;
  if (flags.creates > maxCreates) throw new Error(`--creates can be at most ${maxCreates} (${BENCH_TEAMS} teams, ${EXAMPLE_TEAM_LIMIT} active jobs each)\n${USAGE}`);
  if (flags.idlePairs > flags.pairs) throw new Error(`--idle-pairs can be at most --pairs (${flags.pairs}): its teams are the policy's lone teams\n${USAGE}`);
  const printer = createPrinter(flags.json);
  const startedAt = performance.now();
  const emulators = await useEmulators(WORK_DIR);
  const sim = await startBenchSimulator({child: true, seed: 1, timeScale: 0});
  const pubsub = new PubSub({projectId: PROJECT_ID});
  const firestore = new Firestore({projectId: PROJECT_ID});
  const client = createBenchClient(Math.max(flags.validateConcurrency, flags.createConcurrency) + 2);
  let stopGate: (() => Promise<void>) | undefined;
  try {
    const admin = simAdmin(sim.url);
    // Vertex's default quotas (600 reads, 60 creates a minute) would turn the runs into 429s.
    await admin.quota({readsPerMinute: 1e9, writesPerMinute: 1e9});
    const eventsTopic = `bench-api-events-${Date.now().toString(36)}`;
    await ensureTopic(pubsub, eventsTopic);
    await resetFirestoreProject(PROJECT_ID);
    const teams = [...range(BENCH_TEAMS).map(loadTeam), ...range(flags.pairs).map(loneTeam), BURST_TEAM];
    const gate = await startBenchGate({projectId: PROJECT_ID, simulatorUrl: sim.url, eventsTopic, workDir: WORK_DIR, teams, unlimitedTeams: [BURST_TEAM],
      ...(flags.profile ? {profileDir: `${WORK_DIR}/profiles`} : {})});
    stopGate = gate.stop;
    printer.info('setup', {emulatorsStarted: emulators.started, warmupCalls: flags.warmup, simulator: 'child process', gate: 'functions-framework child process', policy: EXAMPLE_POLICY, cpus: cpus().length, loadAverage: loadavg()},
      `gate: functions-framework serving nasJobsApi in its own process; simulator in its own process; ` +
      `emulators ${emulators.started ? 'started here' : 'from the environment'}; policy ${EXAMPLE_POLICY} (plus ${teams.length} teams of one bench caller for the HTTP runs); mirror seeded with ${flags.mirrorJobs} jobs of other teams; ` +
      `${cpus().length} CPUs, load average ${loadavg().map(n => n.toFixed(1)).join(' ')} (other work on the machine skews every figure)`);

    const policy = await loadPolicyFile(EXAMPLE_POLICY);
    const evaluations = timePolicyEvaluation(policy, flags.evaluations);
    for (const row of evaluations) {
      printer.info('policy', round(row), `policy ${row.evaluation}: ${row.runs} runs, p50 ${ms(row.p50Ms)}, p99 ${ms(row.p99Ms)}, max ${ms(row.maxMs)} (${Math.round(row.perSecond)}/s)`);
    }

    const setup: ScenarioSetup = {client, gate, simulatorUrl: sim.url, admin};
    // Warm-up: connections, the gate's lazy dependencies, the policy file, JIT on every side. The
    // emulators' JVMs take longest: with 200 warm-up calls, the Firestore emulator's JIT compiler
    // threads used more CPU during the validateOnly run than its request threads did (6 of 9.9 s in
    // ten seconds), which is a cost of the stand-in, not of the gate (or of Firestore).
    await measureLoad(setup, 'warm-up', {total: flags.warmup, concurrency: flags.validateConcurrency, offset: 0}, n => gateCreate(setup, n, n % 41 !== 0)); // creates spread over every team
    // Every measured run starts from an empty database but for a mirror of other teams' jobs.
    const freshDatabase = async () => {
      await resetFirestoreProject(PROJECT_ID);
      await seedMirror(firestore, flags.mirrorJobs);
    };
    await freshDatabase();

    const validateOnly = await measureLoad(setup, 'validateOnly', {total: flags.validateRequests, concurrency: flags.validateConcurrency, offset: 1000}, n => gateCreate(setup, n, true));
    printLoad(validateOnly, printer);
    await freshDatabase();
    const creates = await measureLoad(setup, 'create', {total: flags.creates, concurrency: flags.createConcurrency, offset: 100_000}, n => gateCreate(setup, n, false));
    printLoad(creates, printer);
    await freshDatabase();
    // A create on its own: the first of its team, which the instance reserves from its board of
    // every team's slots (team-slots.ts). Then a team's creates back to back, from its view of the
    // team. Then creates after the instance idled past the age a view or board may have, which read
    // their team first: the case of an instance that creates seldom.
    const overhead = await measureOverhead(setup, 'create, each the first of its team', {pairs: flags.pairs, offset: 200_000}, loneTeam);
    printOverhead(overhead, printer);
    const burst = await measureOverhead(setup, 'create, one team\'s back to back', {pairs: flags.pairs, offset: 300_000}, () => BURST_TEAM);
    printOverhead(burst, printer);
    const idle = flags.idlePairs > 0 ? await measureIdle(setup, firestore, flags.idlePairs, freshDatabase, printer) : undefined;

    printTargetChecks({policy: evaluations, validateOnly, overhead: [overhead, burst, ...(idle ? [idle] : [])]}, printer);
    printer.info('total', {wallMs: Math.round(performance.now() - startedAt), loadAverage: loadavg()},
      `total ${((performance.now() - startedAt) / 1000).toFixed(1)} s; load average now ${loadavg().map(n => n.toFixed(1)).join(' ')}`);
  } finally {
    client.close();
    await stopGate?.();
    await pubsub.close().catch(() => undefined);
    await firestore.terminate().catch(() => undefined);
    await sim.close();
    await emulators.stop();
  }
}

/**
 * Creates after an idle spell, each the first of its team, from an empty database. Beside each
 * pair, one bare commit from this process to the same emulator: what the wait does to a round trip
 * the gate makes twice per create, with no gate code in it; then its figure without the wait.
 */
async function measureIdle(setup: ScenarioSetup, firestore: Firestore, pairs: number, freshDatabase: () => Promise<void>, printer: Printer): Promise<OverheadRow> {
  await freshDatabase();
  let probes = 0;
  const probe = () => firestore.collection('benchProbe').doc('commit').set({n: probes++});
  const idle = await measureOverhead(setup, `create after ${IDLE_MS / 1000} s idle`, {pairs, offset: 400_000, idleMs: IDLE_MS, probe}, loneTeam);
  printOverhead(idle, printer);
  const warmProbeP50Ms = await measureProbe(probe, 50);
  printer.info('probe', round({idleP50Ms: idle.probeP50Ms, warmP50Ms: warmProbeP50Ms}),
    `a bare Firestore commit from the bench: p50 ${ms(idle.probeP50Ms!)} after ${IDLE_MS / 1000} s idle, ${ms(warmProbeP50Ms)} one after another (50)`);
  return idle;
}

function printOverhead(row: OverheadRow, printer: Printer): void {
  printer.info('overhead', round(row),
    `overhead of a ${row.call}, ${row.pairs} pairs one at a time: gate p50 ${ms(row.gateP50Ms)} (p99 ${ms(row.gateP99Ms)}), ` +
    `simulator p50 ${ms(row.directP50Ms)} (p99 ${ms(row.directP99Ms)}), the gate adds ${ms(row.overheadP50Ms)}`);
}

const range = (count: number) => Array.from({length: count}, (_, i) => i);

function printLoad(row: LoadRow, printer: Printer): void {
  printer.info('http', round(row),
    `${row.scenario} through the gate: ${row.requests} calls, ${row.concurrency} in flight: ${Math.round(row.requestsPerSecond)} requests/s, ` +
    `p50 ${ms(row.p50Ms)}, p99 ${ms(row.p99Ms)}, statuses ${JSON.stringify(row.statuses)}, ${row.vertexCalls} simulator calls, ` +
    `gate CPU ${ms(row.gateCpuMsPerCall)} per call (${Math.round(row.gateCpuShare * 100)}% of a core)` +
    (row.error ? `; FIRST FAILURE ${row.error}` : ''));
}

function round<T extends object>(row: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value * 1000) / 1000 : value]));
}

// A missed target is a finding, printed as FAIL, not a crash: the exit code says only whether the run completed.
main().then(() => process.exit(0), (error: unknown) => {
  console.error('bench:api failed:', error);
  process.exit(2);
});
