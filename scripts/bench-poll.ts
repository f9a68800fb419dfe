// `npm run bench:poll`: what a poll cycle costs, nasmon's poller against a naive one, at several
// fleet sizes. Starts its own Firestore and Pub/Sub emulators (unless *_EMULATOR_HOST are set) and an
// in-process NAS simulator whose clock stands still (timeScale 0), so a quiet cycle is truly quiet
// and every change is one the script forced. See scripts/bench/*.ts for what is counted and how.
//   npm run bench:poll -- [--scales=100,1000,10000] [--repeats=5] [--json] [--jobs-per-target=2500]
//                         [--naive-repeats=1] [--naive-bound-from=10000] [--change-share=0.01]
//                         [--sim-process]   (simulator in a child process: CPU and RSS then show the pollers alone)
//                         [--naive=false]   (nasmon alone, e.g. to see its RSS without the naive poller's heap)
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {OAuth2Client} from 'google-auth-library';
import {createFirestorePollStore} from '../shared/adapters/firestore/index.js';
import {createPubSubEventPublisher, ensureTopic} from '../shared/adapters/pubsub/index.js';
import {createVertexNasClient} from '../shared/adapters/vertex/index.js';
import {loadConfig} from '../shared/config.js';
import {createLogger} from '../shared/log.js';
import {pollSettings} from '../shared/use-cases/poll/poll-settings.js';
import {parseFlags} from './bench/args.js';
import {printDigestSize, printRatios, printTargetChecks} from './bench/checks.js';
import {resetFirestoreProject, useEmulators} from './bench/emulators.js';
import {countFirestore} from './bench/firestore-counter.js';
import {countingPublisher} from './bench/measure.js';
import {naivePoller, nasmonPoller} from './bench/pollers.js';
import {runScale} from './bench/poll-scale.js';
import {createPrinter, type CycleRow} from './bench/report.js';
import {simAdmin} from './bench/sim-admin.js';
import {startBenchSimulator} from './bench/simulator-handle.js';

const USAGE = 'usage: npm run bench:poll -- [--scales=100,1000,10000] [--repeats=5] [--json] [--jobs-per-target=2500] [--naive-repeats=1] [--naive-bound-from=10000] [--change-share=0.01] [--sim-process] [--naive=false]';
// 2,500 jobs per target keeps every digest well under Firestore's 1 MiB document limit (the
// digest row shows the margin); --jobs-per-target=10000 shows what one target of 10,000 does.
const DEFAULTS = {scales: [100, 1000, 10000], repeats: 5, json: false, jobsPerTarget: 2500, naiveRepeats: 1, naiveBoundFrom: 10000, changeShare: 0.01, simProcess: false, naive: true};

// tsx turns on source-mapped stack traces, and the Firestore client captures a stack for every
// call; deployed functions run compiled JavaScript without source maps, so the bench does too.
process.setSourceMapsEnabled(false);

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), DEFAULTS, USAGE);
  const printer = createPrinter(flags.json);
  const startedAt = performance.now();
  const emulators = await useEmulators('test-artifacts/bench-poll');
  const sim = await startBenchSimulator({child: flags.simProcess, seed: 1, timeScale: 0});
  const firestores: Firestore[] = [];
  const pubsub = new PubSub({projectId: 'bench-poll'});
  try {
    const admin = simAdmin(sim.url);
    // The default 600 reads/min would throttle the naive poller's 10,000 gets into minutes of 429s.
    const quota = await admin.quota({readsPerMinute: 1e9, writesPerMinute: 1e9});
    const suffix = Date.now().toString(36);
    const [nasmonFs, naiveFs] = ['bench-nasmon', 'bench-naive'].map(projectId => new Firestore({projectId})) as [Firestore, Firestore];
    firestores.push(nasmonFs, naiveFs);
    await Promise.all(['bench-nasmon', 'bench-naive'].map(resetFirestoreProject));
    const topics = {nasmon: `bench-nasmon-events-${suffix}`, naive: `bench-naive-events-${suffix}`};
    await Promise.all(Object.values(topics).map(name => ensureTopic(pubsub, name)));

    const auth = new OAuth2Client();
    auth.setCredentials({access_token: 'bench-token', expiry_date: Date.now() + 86_400_000});
    // No request budget: the bench counts calls; how they fit the quota is read off the figures.
    const vertex = createVertexNasClient({auth, baseUrl: sim.url, timeoutMs: 60_000});
    const config = loadConfig({GOOGLE_CLOUD_PROJECT: 'bench-nasmon', NASMON_TARGETS: 'bench-nasmon/us-central1'});
    const now = new Date();
    const settings = pollSettings(config, now.toISOString(), now);
    const log = createLogger({}, () => undefined); // one line per cycle would drown the table
    const nasmonStore = createFirestorePollStore({firestore: nasmonFs, log});
    const nasmonPublisher = countingPublisher(createPubSubEventPublisher({pubsub, topicName: topics.nasmon, log}));
    const naivePublisher = countingPublisher(createPubSubEventPublisher({pubsub, topicName: topics.naive, log}));
    const nasmon = nasmonPoller({vertex, store: nasmonStore, publisher: nasmonPublisher, log, now: () => new Date()}, settings, countFirestore(nasmonFs), nasmonPublisher);
    const naive = naivePoller({vertex, firestore: naiveFs, publisher: naivePublisher, concurrency: 32, now: () => new Date()}, countFirestore(naiveFs), naivePublisher);

    printer.info('setup', {
      simulatorQuota: quota, emulatorsStarted: emulators.started, simulatorProcess: flags.simProcess ? 'child' : 'in-process',
      nasmonSettings: {maxReadsPerCycle: settings.maxReadsPerCycle, createWindowMs: settings.createWindowMs, sweepEveryMs: settings.sweepEveryMs, maxNewJobsPerCycle: settings.maxNewJobsPerCycle},
    }, `simulator quota raised to ${quota.readsPerMinute} reads/min; nasmon settings from loadConfig defaults: ` +
      `maxReadsPerCycle=${settings.maxReadsPerCycle}, createWindow=${settings.createWindowMs / 1000}s, sweep every ${settings.sweepEveryMs / 60_000} min; ` +
      (flags.simProcess ? 'simulator in a child process: cpuMs/rssMb are the pollers\' process, simCpuMs the simulator\'s'
      : 'CPU and RSS are the whole process\'s (the simulator runs in it too; --sim-process separates them)'));
    const rows: CycleRow[] = [];
    for (const jobs of flags.scales) {
      const setup = {admin, nasmon, naive: flags.naive ? naive : undefined, nasmonStore, printer, sweepEveryMs: settings.sweepEveryMs, simCpuMs: () => sim.cpuMs(),
        afterCold: (targets: Parameters<typeof printDigestSize>[1]) => printDigestSize(nasmonFs, targets, jobs, printer)};
      const scaleRows = await runScale(setup, {jobs, jobsPerTarget: flags.jobsPerTarget, repeats: flags.repeats,
        naiveRepeats: flags.naiveRepeats, naiveBoundFrom: flags.naiveBoundFrom, changeShare: flags.changeShare});
      printRatios(scaleRows, jobs, printer);
      rows.push(...scaleRows);
    }
    printTargetChecks(rows, printer, !flags.simProcess);
    printer.info('total', {wallMs: Math.round(performance.now() - startedAt)}, `total ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  } finally {
    await pubsub.close().catch(() => undefined);
    for (const firestore of firestores) await firestore.terminate().catch(() => undefined);
    await sim.close();
    await emulators.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error('bench:poll failed:', error);
  process.exit(1);
});
