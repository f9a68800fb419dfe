// One soak run, start to end: the stack, the workload for the duration (with any chaos), a settle of
// a few poll cycles, the checker, the figures, the stack stopped, the secret scan, the report.
import {mkdtempSync, readFileSync, rmSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadOrCreateLocalIssuer} from '../../shared/adapters/auth/local-issuer.js';
import {recordEvents} from '../../test/truth/event-recorder.js';
import {startCallers} from './callers.js';
import {chaosScenario, CRASHING_FUNCTIONS, scheduleChaos, stackNeeds, type ChaosContext, type EmulatorRestart} from './chaos.js';
import {apiFigures, eventFigures, truthFigures} from './figures.js';
import {detectionLatency, type HistoryJob} from './latency.js';
import {startMemorySampler, type WatchedProcess} from './memory.js';
import {pollingByTarget} from './poll-gaps.js';
import {crashesInLogs, earlyCancels, functionLogs, lastCrashMs, pollCycleTimes, recoveryAfter, startOutboxSampler} from './recovery.js';
import type {SoakOptions} from './options.js';
import {planWorkload, SOAK_TARGETS, TEAMS} from './plan.js';
import type {SoakReport} from './report.js';
import {makeSecrets, secretsToScan} from './secrets.js';
import {startSoakStack, TICK_SECONDS, type SoakStack} from './stack.js';
import {runChecker, scanForSecrets} from './truth.js';
import {startVertexRateSampler} from './vertex-rate.js';
import {runWorkload} from './workload.js';

const QUOTA = {readsPerMinute: 600, writesPerMinute: 60, share: 0.5};
/** A true state held this long in plain sight must have been recorded: a few 2 s poll cycles on a busy machine. */
const VISIBLE_AFTER_MS = 15_000;
/** Fault windows are widened by this much on both sides: recovery from a fault takes a while. */
const FAULT_MARGIN_MS = 30_000;
/** The soak's sweep period (NASMON_SWEEP_MINUTES=1) and a few cycles: how late a deleted finished job may be noticed. */
const SWEEP_GRACE_MS = 75_000;
/** How long the checker waits for the events of the records it read. */
const DRAIN_MS = 30_000;

/** Runs the soak; `say` gets progress lines. Stops everything it started, however it ends. */
export async function runSoak(o: SoakOptions, say: (line: string) => void, aborted: AbortSignal): Promise<SoakReport> {
  const t0 = Date.now();
  const secrets = makeSecrets(TEAMS);
  const issuerDir = mkdtempSync(join(tmpdir(), 'nasmon-soak-issuer-'));
  const issuer = loadOrCreateLocalIssuer(issuerDir);
  const scenarios = o.chaos.map(chaosScenario);
  const targets = SOAK_TARGETS.slice(0, o.targets);
  let stack: SoakStack | undefined;
  try {
    say(`starting the stack (logs in ${o.logDir}/)…`);
    stack = await startSoakStack({
      logDir: o.logDir, targets, seed: o.seed, pollIntervalSeconds: o.pollIntervalSeconds, secrets, issuerDir, say,
      functionEnv: {}, needs: stackNeeds(scenarios),
    });
    const running = stack;
    const memory = startMemorySampler(() => watchedProcesses(running));
    const vertex = startVertexRateSampler(running.simulator.url);
    await vertex.ready;
    const recorder = recordEvents(running.eventLog);
    const outbox = startOutboxSampler(running.firestore);
    running.eventLog.on('error', error => say(`!!! the soak's event subscription: ${error.message}`));
    const offsetMs = Date.parse(((await (await fetch(`${running.simulator.url}/simulator/clock`)).json()) as {now: string}).now) - Date.now();
    const startupSeconds = seconds(Date.now() - t0);
    say(`stack up in ${startupSeconds} s; workload: ${o.jobs} jobs over ${o.durationMs / 1000} s on ${targets.length} targets, ${o.callers} callers`);

    running.startSchedulers();
    const plan = planWorkload({jobs: o.jobs, targets: o.targets, callers: o.callers, durationMs: o.durationMs, gateShare: o.gateShare, seed: o.seed});
    const callers = startCallers(running.gateUrl, o.callers, issuer, say);
    const workload = runWorkload(plan, running.simulator.url, callers, say);
    const restarts: EmulatorRestart[] = [];
    const chaosCtx: ChaosContext = {
      simulatorUrl: running.simulator.url, say,
      restartEmulator: async (name, downMs) => {
        const restart = await running.restartEmulator(name, downMs, recorder.add);
        restarts.push(restart);
        return restart;
      },
      rearmFunctions: (targets, env, options) => running.functions.rearm(targets, env, options),
    };
    const chaos = scheduleChaos(scenarios, chaosCtx, workload.startMs, o.durationMs);
    const progress = setInterval(() => say(`${seconds(Date.now() - workload.startMs)} s: ${workload.appeared()} jobs appeared, ${callers.calls().length} gate calls, ${recorder.events.length} events received`), 30_000);
    await sleepUnless(o.durationMs, aborted);
    clearInterval(progress);
    workload.stop();
    await Promise.all([callers.stop(), chaos.stopAll()]);
    const workloadSeconds = seconds(Date.now() - workload.startMs);

    say(`workload stopped; settling for ${o.settleMs / 1000} s…`);
    const settleStart = Date.now();
    await new Promise(resolve => setTimeout(resolve, o.settleMs)); // even after Ctrl-C: the checker needs it
    const settleSeconds = seconds(Date.now() - settleStart);

    const checkStart = Date.now();
    say('collecting the truth and running the checker…');
    // crash-functions ends at its last crash (an armed instance may outlive the scenario's stop).
    const lastCrash = lastCrashMs(functionLogs(o.logDir, CRASHING_FUNCTIONS));
    const windows = chaos.windows().map(w => w.scenario === 'crash-functions' && lastCrash !== undefined && lastCrash > w.endMs ? {...w, endMs: lastCrash} : w);
    const outboxSamples = (await outbox.stop(), outbox.samples());
    const checker = await runChecker({
      simulatorUrl: running.simulator.url, firestore: running.firestore, events: () => recorder.events,
      visibleAfterMs: VISIBLE_AFTER_MS, faultMarginMs: FAULT_MARGIN_MS, drainMs: DRAIN_MS, sweepGraceMs: SWEEP_GRACE_MS, findingsFile: join(o.logDir, 'findings.json'), simulatorOffsetMs: offsetMs,
      // Only the windows of faults that make things late or unreachable excuse anything (chaos.ts).
      faultWindows: windows.filter(w => w.excuses).map(w => ({startMs: w.startMs + offsetMs, endMs: w.endMs + offsetMs})),
      pubsubShutsMs: restarts.filter(r => r.name === 'pubsub').map(r => r.shutAtMs),
    });
    const events = [...recorder.events];
    const bridgeCounts = running.bridgeCounts();
    const history = ((await (await fetch(`${running.simulator.url}/simulator/history`)).json()) as {jobs: HistoryJob[]}).jobs;
    await vertex.stop();
    memory.stop();
    const checkSeconds = seconds(Date.now() - checkStart);

    const stopStart = Date.now();
    await recorder.stop().catch(() => undefined);
    const webhooks = running.webhooks;
    const smtpUrl = running.smtpUrl;
    await running.stop();
    stack = undefined;
    await new Promise(resolve => setTimeout(resolve, 300)); // the last log lines on their way to the files
    const stopSeconds = seconds(Date.now() - stopStart);

    const toScan = secretsToScan(secrets, webhooks, smtpUrl, callers.tokens());
    const scan = await scanForSecrets(o.logDir, toScan);
    const api = apiFigures(callers.calls());
    const problems = [
      ...(checker.passed ? [] : [`the ground-truth checker found ${Object.entries(checker.findings).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ')}`]),
      ...scan.hits.map(hit => `a secret is in the logs: ${hit.secret} (${hit.form}) at ${hit.file}:${hit.line}`),
    ];
    const vertexRates = vertex.rates(targets.map(t => `${t.project}/${t.location}`));
    const polling = pollingByTarget(join(o.logDir, 'pollTarget.log'), workload.startMs, checkStart);
    const cycles = pollCycleTimes(join(o.logDir, 'pollTarget.log'));
    const chaosReport = windows.map(w => {
      const scenario = scenarios.find(s => s.name === w.scenario)!;
      const wholeRun = scenario.startAt === 0 && scenario.stopAt >= 1;
      return {
        scenario: w.scenario, fromSeconds: seconds(w.startMs - workload.startMs), toSeconds: seconds(w.endMs - workload.startMs), excuses: w.excuses,
        injected: {
          ...scenario.injected?.(),
          ...(w.scenario === 'crash-functions' ? {crashes: crashesInLogs(functionLogs(o.logDir, CRASHING_FUNCTIONS)), lastCrashSeconds: lastCrash === undefined ? 'none' : seconds(lastCrash - workload.startMs)} : {}),
          ...(w.scenario === 'duplicate-delivery' ? {bridges: bridgeCounts} : {}),
          ...(w.scenario === 'sim-faults' ? {vertexAnswers: {status429: vertexRates.status429, status5xx: vertexRates.status5xx, resets: vertexRates.resets, total: vertexRates.total}} : {}),
        },
        ...(wholeRun ? {} : {recovery: recoveryAfter({
          scenario: w.scenario, startMs: w.startMs, endMs: w.endMs, checkMs: checkStart, cycles, outbox: outboxSamples,
          pollIntervalMs: o.pollIntervalSeconds * 1000, tickMs: TICK_SECONDS * 1000,
        })}),
      };
    });
    return {
      kind: 'soak', passed: problems.length === 0, problems,
      options: {
        durationSeconds: o.durationMs / 1000, jobs: o.jobs, targets: o.targets, callers: o.callers, seed: o.seed, chaos: o.chaos,
        gateShare: o.gateShare, pollIntervalSeconds: o.pollIntervalSeconds, settleSeconds: o.settleMs / 1000,
      },
      wallSeconds: {startup: startupSeconds, workload: workloadSeconds, settle: settleSeconds, check: checkSeconds, stop: stopSeconds, total: seconds(Date.now() - t0)},
      workload: {
        planned: plan.length, appeared: workload.appeared(), seeded: workload.seeded().length,
        viaGate: plan.slice(0, workload.appeared()).filter(job => job.via === 'gate').length, gateCreated: callers.created().length,
        byScenario: tally(plan.slice(0, workload.appeared()).map(job => job.scenario)),
      },
      truth: truthFigures(history),
      events: eventFigures(events),
      api,
      notifications: {slack: lineCount(join(o.logDir, 'slack.jsonl')), mail: lineCount(join(o.logDir, 'mail.jsonl'))},
      checker,
      latency: detectionLatency(events, history, offsetMs),
      memory: memory.peaks(),
      vertex: {
        quota: {...QUOTA, budgetReadsPerMinute: QUOTA.readsPerMinute * QUOTA.share, budgetWritesPerMinute: QUOTA.writesPerMinute * QUOTA.share},
        ...vertexRates,
      },
      polling,
      restarts: running.functions.restarts(),
      chaos: chaosReport,
      enforceTiming: {simulatorClockOffsetSeconds: seconds(offsetMs), ...earlyCancels(events, history)},
      secretScan: {files: scan.files, secrets: toScan.length, hits: scan.hits},
      logDir: o.logDir,
    };
  } finally {
    await stack?.stop();
    rmSync(issuerDir, {recursive: true, force: true});
  }
}

/** The processes whose memory is reported: the soak, the simulator, each function, each emulator's java. */
function watchedProcesses(stack: SoakStack): WatchedProcess[] {
  return [
    {role: 'soak (this process)', pid: process.pid},
    {role: 'simulator (node)', root: stack.simulator.child.pid!, comm: /^node/},
    ...stack.functions.instances().map(server => ({role: `${server.target} (node)`, root: server.child.pid!, comm: /^node/})),
    ...stack.emulators.map(emulator => ({role: `${emulator.name} emulator (java)`, root: emulator.pgid, comm: /^java/})),
  ];
}

function sleepUnless(ms: number, aborted: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (aborted.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    aborted.addEventListener('abort', () => (clearTimeout(timer), resolve()), {once: true});
  });
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}
