// `npm run simulator -- --port=8089`: runs the NAS simulator in the foreground until SIGINT/SIGTERM.
// Start-up extras (fault rate, demo jobs) go through the public admin API, like any other client.
import {CliError, parseCliOptions, USAGE, type CliOptions} from './cli-options.js';
import {startSimulator, type RunningSimulator} from './server.js';

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(`nas simulator: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const simulator = await startSimulator(options.server);
  await applyStartupExtras(simulator, options);
  console.log(`nas simulator listening on ${simulator.url}`);
  const stop = (): void => {
    simulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function applyStartupExtras(simulator: RunningSimulator, options: CliOptions): Promise<void> {
  if (options.faultRate > 0) await postAdmin(simulator, 'faults', {kind: 'unavailable', rate: options.faultRate});
  if (options.seedJobs > 0) await postAdmin(simulator, 'jobs:seed', {...options.seedTarget, count: options.seedJobs, ageSeconds: 6 * 3600});
}

async function postAdmin(simulator: RunningSimulator, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${simulator.url}/simulator/${path}`, {method: 'POST', body: JSON.stringify(body)});
  if (!res.ok) throw new Error(`simulator start-up: POST /simulator/${path} failed: ${res.status} ${await res.text()}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error('nas simulator failed:', err);
  process.exit(1);
});
