// The gate as it is deployed: the functions framework's own server for nasJobsApi over code compiled
// by tsc (as gcp-build does), in a process of its own, configured only through the environment
// (shared/config.ts), talking to the simulator and the emulators. The benchmark's client runs in
// another process, so neither steals the other's event loop. `profileDir` makes the gate write a V8
// CPU profile there when it stops.
import {execFileSync, spawn} from 'node:child_process';
import {createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {isMap, parseDocument, type YAMLSeq} from 'yaml';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../../shared/adapters/auth/index.js';
import {freePort} from '../../test/harness/emulator-processes.js';
import {processCpuMs} from './process-cpu.js';
import {stopFunctionServers, waitUntilServing, type FunctionServer} from '../local/function-servers.js';
import {BENCH_LOCATION, BENCH_PROJECT, callerOf} from './job-body.js';

/** The example policy; the benchmark's own copy adds teams of bench callers (writeBenchPolicy). */
export const EXAMPLE_POLICY = 'test/fixtures/policy/example.yaml';

/** A running gate and a token to call it with. */
export interface BenchGate {
  readonly url: string;
  /** CPU time the gate's process has used so far, in ms. */
  cpuMs(): number;
  /** `Authorization` header value for `email`, from the local issuer the gate trusts. */
  bearer(email: string): string;
  stop(): Promise<void>;
}

/** Options of {@link startBenchGate}. */
export interface BenchGateOptions {
  readonly projectId: string;
  readonly simulatorUrl: string;
  readonly eventsTopic: string;
  readonly workDir: string;
  /** Directory for a V8 CPU profile of the gate, written when it stops. */
  readonly profileDir?: string;
  /** The bench's teams, one caller each (callerOf), added to the example policy. */
  readonly teams: readonly string[];
  /** Teams the example's limit of active jobs does not hold back. */
  readonly unlimitedTeams: readonly string[];
}

/** Compiles the functions, writes the policy, starts nasJobsApi and waits until it serves. */
export async function startBenchGate(options: BenchGateOptions): Promise<BenchGate> {
  mkdirSync(options.workDir, {recursive: true});
  const source = compileGate(join(options.workDir, 'build'));
  const policyPath = writeBenchPolicy(options.workDir, options.teams, options.unlimitedTeams);
  const issuerDir = join(options.workDir, 'issuer');
  const issuer = loadOrCreateLocalIssuer(issuerDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    GOOGLE_CLOUD_PROJECT: options.projectId,
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST ?? '',
    PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST ?? '',
    METADATA_SERVER_DETECTION: 'none',
    NASMON_TARGETS: `${BENCH_PROJECT}/${BENCH_LOCATION}`,
    VERTEX_API_ENDPOINT: options.simulatorUrl,
    NASMON_VERTEX_STATIC_TOKEN: 'bench-token',
    NASMON_EVENTS_TOPIC: options.eventsTopic,
    NASMON_POLICY: policyPath,
    NASMON_AUTH_MODE: 'local',
    NASMON_AUTH_AUDIENCE: url,
    NASMON_LOCAL_ISSUER_DIR: issuerDir,
    // The request budget would hold creates to 30 a minute (the default job-submission quota's share):
    // right for production, but then the benchmark would measure the budget, not the gate.
    NASMON_READS_PER_MINUTE: '100000',
    NASMON_WRITES_PER_MINUTE: '100000',
    NASMON_QUOTA_SHARE: '1',
    NASMON_GATE_CALLS_PER_MINUTE: '0', // the bench measures throughput, a few callers at hundreds of calls a second
  };
  const nodeFlags = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(options.profileDir)}`] : [];
  const server = startGateProcess(port, env, [...nodeFlags, FRAMEWORK_MAIN, '--target=nasJobsApi', `--port=${port}`, `--source=${source}`],
    join(options.workDir, 'nasJobsApi.log'));
  await waitUntilServing(server);
  const tokens = new Map<string, string>();
  return {
    url,
    cpuMs: () => processCpuMs(server.child.pid!),
    // One token per caller, reused as a real client reuses its ID token for its hour.
    bearer: email => `Bearer ${tokens.get(email) ?? tokens.set(email, signLocalIdToken(issuer, {email, audience: url})).get(email)!}`,
    stop: () => stopFunctionServers([server]),
  };
}

const FRAMEWORK_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js';

// Into a directory of the bench's own, so a build/ someone else is using is left alone. tsc emits even
// when it finds type errors elsewhere in the tree (work in progress); the gate's entry must be there.
function compileGate(outDir: string): string {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--outDir', outDir], {stdio: 'pipe'});
  } catch (error) {
    const output = String((error as {stdout?: Buffer}).stdout ?? '').trim();
    console.error(`bench:api: tsc reported problems (the gate is measured as emitted):\n${output.split('\n').slice(0, 10).join('\n')}`);
  }
  const entry = join(outDir, 'functions/nas-jobs-api.js');
  if (!existsSync(entry)) throw new Error(`tsc emitted no ${entry}`);
  return entry;
}

// Its own process group (detached), so stopFunctionServers' group kill ends it; output to `logFile`.
// Node refuses --cpu-prof in NODE_OPTIONS, so such flags go on the command line with the others.
function startGateProcess(port: number, env: Record<string, string>, args: readonly string[], logFile: string): FunctionServer {
  const child = spawn(process.execPath, args, {env: {...process.env, ...env}, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return {target: 'nasJobsApi', url: `http://127.0.0.1:${port}`, child};
}

// The example policy plus the bench's teams. The example's limit of active jobs per team
// (EXAMPLE_TEAM_LIMIT) stays, except for `unlimited`: with no poller to see jobs end, a team could
// create only that many, but calls that go round the teams stay under it between two resets.
function writeBenchPolicy(dir: string, teams: readonly string[], unlimited: readonly string[]): string {
  const document = parseDocument(readFileSync(EXAMPLE_POLICY, 'utf8'));
  for (const team of teams) document.setIn(['teams', team], {emails: [callerOf(team)]});
  const rules = document.get('submissionRules') as YAMLSeq;
  const concurrency = rules.items.findIndex(rule => isMap(rule) && rule.get('kind') === 'team-concurrency');
  for (const team of unlimited) document.setIn(['submissionRules', concurrency, 'perTeam', team], 1_000_000);
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, document.toString());
  return path;
}
