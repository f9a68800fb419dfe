// `npm run bench:latency`: how long after a NAS job changes state its stateChanged event reaches a
// subscriber, on a real clock with nasmon's default poll settings. A simulator runs in real time
// (timeScale 1); a stand-in for Cloud Scheduler starts a pollTarget-like session every minute (a fresh
// holder each time, settings from pollSettings + loadConfig defaults); the script forces transitions
// at random moments and times each one from the force call to the event's arrival.
//   npm run bench:latency -- [--transitions=100] [--interval-seconds=10] [--spread-seconds=120] [--json] [--seed=1]
//   [--session-seconds=N] overrides NASMON_POLL_SESSION_SECONDS (default: loadConfig's), to try other session lengths
import {randomUUID} from 'node:crypto';
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {OAuth2Client} from 'google-auth-library';
import {createFirestorePollStore} from '../shared/adapters/firestore/index.js';
import {createPubSubEventPublisher, ensureTopic} from '../shared/adapters/pubsub/index.js';
import {createRequestBudget, createVertexNasClient} from '../shared/adapters/vertex/index.js';
import {loadConfig, type Target} from '../shared/config.js';
import {createLogger} from '../shared/log.js';
import {pollSettings} from '../shared/use-cases/poll/poll-settings.js';
import {runPollSession, type PollSessionDeps, type SessionOutcome} from '../shared/use-cases/poll/run-poll-session.js';
import {parseFlags} from './bench/args.js';
import {resetFirestoreProject, useEmulators} from './bench/emulators.js';
import {byPhase, collectStateChanges, forceAtRandomTimes, seededRandom, summarise} from './bench/latency-probe.js';
import {simAdmin} from './bench/sim-admin.js';
import {startBenchSimulator} from './bench/simulator-handle.js';

const USAGE = 'usage: npm run bench:latency -- [--transitions=100] [--interval-seconds=10] [--spread-seconds=120] [--idle-jobs=50] [--drain-seconds=60] [--session-seconds=N] [--json] [--seed=1]';
const DEFAULTS = {transitions: 100, intervalSeconds: 10, spreadSeconds: 120, idleJobs: 50, drainSeconds: 60, sessionSeconds: 0, json: false, seed: 1};
const TARGET: Target = {project: 'latency-nasmon', location: 'us-central1'};
const SCHEDULER_PERIOD_MS = 60_000;

/** Thrown into a session's sleep when the run is over, so the session ends and releases its lease. */
class Stopped extends Error {}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), DEFAULTS, USAGE);
  const say = (text: string) => flags.json || console.error(text);
  const emulators = await useEmulators('test-artifacts/bench-latency');
  const sim = await startBenchSimulator({child: false, seed: flags.seed, timeScale: 1});
  const firestore = new Firestore({projectId: 'bench-latency'});
  const pubsub = new PubSub({projectId: 'bench-latency'});
  const wakers = new Set<(error: Error) => void>();
  let stopping = false;
  try {
    const admin = simAdmin(sim.url);
    const {names} = await admin.seed({...TARGET, count: flags.transitions + flags.idleJobs, scenarioMix: {'stuck-pending': 1}});
    // Stuck-PENDING jobs an hour old: only forced changes happen, and none sits in the create_time window.
    await admin.advance(3600);
    const offsetMs = (await admin.clock()) - Date.now();
    const now = () => new Date(Date.now() + offsetMs); // the poller's clock is the simulator's
    await resetFirestoreProject('bench-latency');
    const topicName = `nasjob-events-latency-${Date.now().toString(36)}`;
    const topic = await ensureTopic(pubsub, topicName);
    const [subscription] = await topic.createSubscription(`${topicName}-probe`, {enableMessageOrdering: true});
    const arrivals = collectStateChanges(subscription);

    const config = loadConfig({
      GOOGLE_CLOUD_PROJECT: TARGET.project, NASMON_TARGETS: `${TARGET.project}/${TARGET.location}`,
      NASMON_EVENTS_TOPIC: topicName, NASMON_POLL_INTERVAL_SECONDS: String(flags.intervalSeconds),
      ...(flags.sessionSeconds > 0 ? {NASMON_POLL_SESSION_SECONDS: String(flags.sessionSeconds)} : {}),
    });
    const auth = new OAuth2Client();
    auth.setCredentials({access_token: 'latency-token', expiry_date: Date.now() + 86_400_000});
    const cycleEnds: number[] = [];
    const problems: string[] = [];
    const log = createLogger({}, line => {
      const {message, severity} = JSON.parse(line) as {message: string; severity: string};
      if (message === 'poll cycle') cycleEnds.push(Date.now());
      if (severity === 'WARNING' || severity === 'ERROR') problems.push(line);
    });
    // Wired as functions/deps.ts wires production, with the request budget of the default config.
    const deps: Omit<PollSessionDeps, 'holder'> = {
      vertex: createVertexNasClient({auth, baseUrl: sim.url, timeoutMs: 20_000, budget: createRequestBudget({readsPerMinute: config.readsPerMinute, share: config.quotaShare})}),
      store: createFirestorePollStore({firestore, log}),
      publisher: createPubSubEventPublisher({pubsub, topicName, log}),
      log, now,
      sleep: ms => new Promise((resolve, reject) => {
        if (stopping) return reject(new Stopped());
        const wake = (error: Error) => (clearTimeout(timer), reject(error));
        const timer = setTimeout(() => (wakers.delete(wake), resolve()), ms);
        wakers.add(wake);
      }),
    };

    // The scheduler: a tick every minute, each starting a session as pollTarget does.
    const firstTick = now().getTime();
    const outcomes: Array<SessionOutcome | {kind: 'failed'; error: string}> = [];
    const sessions: Promise<void>[] = [];
    const tick = () => {
      const tickTime = new Date(firstTick + sessions.length * SCHEDULER_PERIOD_MS);
      const settings = pollSettings(config, tickTime.toISOString(), now());
      sessions.push(runPollSession(TARGET, {...deps, holder: randomUUID()}, settings).then(
        outcome => void outcomes.push(outcome),
        error => void (error instanceof Stopped || outcomes.push({kind: 'failed', error: String(error)})),
      ));
    };
    tick();
    const ticker = setInterval(tick, SCHEDULER_PERIOD_MS);
    const waitUntil = async (done: () => boolean, limitMs: number) => {
      for (const end = Date.now() + limitMs; !done() && Date.now() < end;) await new Promise(resolve => setTimeout(resolve, 100));
    };
    await waitUntil(() => cycleEnds.length > 0, 60_000); // the first cycle records every job (first sightings)
    say(`first cycle done; forcing ${flags.transitions} transitions over ${flags.spreadSeconds} s (interval ${flags.intervalSeconds} s, session ${config.pollSessionSeconds} s, scheduler every 60 s)`);

    const phaseOf = (ms: number) => ((ms + offsetMs - firstTick) % SCHEDULER_PERIOD_MS) / 1000;
    const forced = await forceAtRandomTimes(admin, names.slice(0, flags.transitions), flags.spreadSeconds * 1000, phaseOf, seededRandom(flags.seed));
    const match = () => forced.every(t => (t.arrivedAt = arrivals.get(`${t.name}|${t.state}`)) !== undefined);
    await waitUntil(match, flags.drainSeconds * 1000);
    match();

    stopping = true;
    clearInterval(ticker);
    for (const wake of wakers) wake(new Stopped());
    await Promise.all(sessions);
    await subscription.delete().catch(() => undefined);

    const gaps = cycleEnds.slice(1).map((end, i) => (end - cycleEnds[i]!) / 1000).sort((a, b) => a - b);
    const stats = await admin.stats();
    const report = {
      kind: 'latency', ...summarise(forced), transitions: forced.length,
      intervalSeconds: config.pollIntervalSeconds, sessionSeconds: config.pollSessionSeconds, maxReadsPerCycle: pollSettings(config, now().toISOString(), now()).maxReadsPerCycle,
      sessions: sessions.length, leaseHeld: outcomes.filter(o => o.kind === 'lease-held').length,
      cycleFailures: outcomes.reduce((sum, o) => sum + (o.kind === 'done' ? o.failures : o.kind === 'failed' ? 1 : 0), 0),
      cycles: cycleEnds.length, largestGapBetweenCyclesSeconds: gaps[gaps.length - 1] ?? null,
      vertexCalls: stats.total, vertex429: stats.byStatus['429'] ?? 0, warnings: problems.length,
    };
    const phases = byPhase(forced);
    if (flags.json) {
      console.log(JSON.stringify(report));
      for (const phase of phases) console.log(JSON.stringify({kind: 'latency-by-phase', ...phase}));
    } else {
      console.log(`detection latency (force → stateChanged on the subscription), ${report.transitions} transitions:`);
      console.log(`  p50 ${report.p50Seconds} s   p95 ${report.p95Seconds} s   max ${report.maxSeconds} s   mean ${report.meanSeconds} s   count ${report.count}   missed ${report.missed}`);
      console.log(`  target p95 ≤ 15 s: ${report.p95Seconds <= 15 && report.missed === 0 ? 'PASS' : 'FAIL'}`);
      console.log(`  ${report.cycles} cycles in ${report.sessions} sessions (lease held: ${report.leaseHeld}, failed cycles: ${report.cycleFailures}); largest gap between cycle ends ${report.largestGapBetweenCyclesSeconds} s`);
      console.log(`  Vertex calls ${report.vertexCalls} (429: ${report.vertex429}); poller warnings/errors ${report.warnings}`);
      console.log('  by when in the scheduler minute the change happened:');
      for (const p of phases) console.log(`    ${p.phase.padEnd(7)} n=${String(p.count).padStart(3)} p50 ${p.p50Seconds} s  p95 ${p.p95Seconds} s  max ${p.maxSeconds} s  missed ${p.missed}`);
    }
    for (const line of problems.slice(0, 5)) say(`poller: ${line.slice(0, 300)}`);
  } finally {
    stopping = true;
    await pubsub.close().catch(() => undefined);
    await firestore.terminate().catch(() => undefined);
    await sim.close();
    await emulators.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error('bench:latency failed:', error);
  process.exit(1);
});
