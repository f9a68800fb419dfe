// `npm run soak`: the whole stack under an accelerated workload, then the ground-truth checker.
//   npm run soak -- [--duration=10m] [--jobs=2000] [--targets=4] [--callers=4] [--seed=1] [--json] [--chaos=NAME,…]
// Jobs appear over the duration on 2 projects × 2 regions: some seeded in the simulator (other users
// of Vertex), the rest created through the gate by several callers, who also cancel and delete some.
// Afterwards it prints jobs, transitions, events, gate requests, the checker's figures, detection
// latency, each process's peak memory and the Vertex calls per minute per target against the quota,
// and scans every log for the secrets it configured. Exit 0 only when the checker passed and the
// logs are clean; 1 otherwise; 2 for a bad command line. Progress goes to stderr, the report to
// stdout (with --json, one JSON object). Ctrl-C stops the workload early and still reports.
import {appendFileSync, mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {parseSoakOptions, SoakUsageError, type SoakOptions} from './soak/options.js';
import {formatReport} from './soak/report.js';
import {runSoak} from './soak/run.js';
import {EmulatorsMissing} from './soak/stack.js';

process.env.METADATA_SERVER_DETECTION ??= 'none'; // this process's Google clients must not probe GCE

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof SoakUsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  rmSync(options.logDir, {recursive: true, force: true});
  mkdirSync(options.logDir, {recursive: true});
  const ownLog = join(options.logDir, 'soak.log');
  const say = (line: string) => {
    const stamped = `${new Date().toISOString().slice(11, 19)}  ${line}`;
    console.error(stamped);
    appendFileSync(ownLog, `${stamped}\n`);
  };
  const abort = new AbortController();
  let interrupts = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      interrupts += 1;
      if (interrupts > 1) process.exit(130);
      say(`${signal}: ending the workload early; the checker still runs (again to quit at once)`);
      abort.abort();
    });
  }
  // `npm run soak` runs this under `sh -c`, which does not pass on a SIGTERM npm forwards: when the
  // parent goes, this process is re-parented, and takes that as the signal to stop.
  const parentPid = process.ppid;
  setInterval(() => void (process.ppid !== parentPid && !abort.signal.aborted && (say('the parent process is gone: ending the workload early'), abort.abort())), 500).unref();
  try {
    const report = await runSoak(options, say, abort.signal);
    const text = options.json ? JSON.stringify(report) : formatReport(report);
    console.log(text);
    appendFileSync(ownLog, `${text}\n`);
    return report.passed ? 0 : 1;
  } catch (error) {
    if (error instanceof EmulatorsMissing) {
      say(`the soak needs the Firestore and Pub/Sub emulators: ${error.message}`);
      say('Install them with: sudo apt-get install google-cloud-cli google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator openjdk-17-jre-headless');
      return 1;
    }
    say(`!!! the soak failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  }
}

main().then(code => process.exit(code), error => {
  console.error(error);
  process.exit(1);
});
