// Benchmark of the NAS simulator: seeds jobs over a few targets, runs them through their lifecycles
// on the simulated clock, then times nasJobs.list pages of 100 over real HTTP.
//   npx tsx scripts/bench-simulator.ts [--jobs=1000] [--targets=4] [--repetitions=50] [--json]
import {startSimulator} from '../simulator/server.js';

interface BenchArgs {
  jobs: number;
  targets: number;
  repetitions: number;
  json: boolean;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {jobs: 1000, targets: 4, repetitions: 50, json: false};
  for (const arg of argv) {
    const m = /^--(jobs|targets|repetitions)=(\d+)$/.exec(arg);
    if (m) args[m[1] as 'jobs' | 'targets' | 'repetitions'] = Number(m[2]);
    else if (arg === '--json') args.json = true;
    else throw new Error(`unknown argument ${arg}; usage: bench-simulator.ts [--jobs=1000] [--targets=4] [--repetitions=50] [--json]`);
  }
  return args;
}

function report(args: BenchArgs, name: string, fields: Record<string, unknown>): void {
  if (args.json) console.log(JSON.stringify({metric: name, ...fields}));
  else console.log(`${name.padEnd(22)} ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? round(v) : JSON.stringify(v)}`).join(' ')}`);
}

const LOCATIONS = ['us-central1', 'europe-west4', 'asia-east1', 'us-east1'];
const round = (n: number): number => Math.round(n * 100) / 100;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, {method: 'POST', body: JSON.stringify(body)});
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Pages through one target, returning each page's wall time (ms) and the jobs seen. */
async function listAll(base: string, parent: string, filter = ''): Promise<{times: number[]; jobs: any[]}> {
  const times: number[] = [];
  const jobs: any[] = [];
  let token = '';
  do {
    const query = new URLSearchParams({pageSize: '100', ...(filter && {filter}), ...(token && {pageToken: token})});
    const started = performance.now();
    const res = await fetch(`${base}/v1/${parent}/nasJobs?${query}`);
    const body = (await res.json()) as {nasJobs?: any[]; nextPageToken?: string};
    times.push(performance.now() - started);
    if (!res.ok) throw new Error(JSON.stringify(body));
    jobs.push(...(body.nasJobs ?? []));
    token = body.nextPageToken ?? '';
  } while (token);
  return {times, jobs};
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wallStart = performance.now();
  const sim = await startSimulator({seed: 1, timeScale: 0, readsPerMinute: 1e9, writesPerMinute: 1e9});
  try {
    const parents = Array.from({length: args.targets}, (_, i) => ({project: `bench-project-${i}`, location: LOCATIONS[i % LOCATIONS.length]!}));
    let started = performance.now();
    for (const [i, target] of parents.entries()) {
      const count = Math.floor(args.jobs / args.targets) + (i < args.jobs % args.targets ? 1 : 0);
      await post(`${sim.url}/simulator/jobs:seed`, {...target, count});
    }
    report(args, 'seed', {jobs: args.jobs, targets: args.targets, ms: performance.now() - started});

    started = performance.now();
    for (let step = 0; step < 28; step++) await post(`${sim.url}/simulator/clock:advance`, {seconds: 6 * 3600});
    report(args, 'lifecycle', {simulatedDays: 7, ms: performance.now() - started});

    const states: Record<string, number> = {};
    for (const target of parents) {
      for (const job of (await listAll(sim.url, `projects/${target.project}/locations/${target.location}`)).jobs) states[job.state] = (states[job.state] ?? 0) + 1;
    }
    report(args, 'jobs_per_state', states);

    const times: number[] = [];
    started = performance.now();
    for (let r = 0; r < args.repetitions; r++) {
      for (const target of parents) times.push(...(await listAll(sim.url, `projects/${target.project}/locations/${target.location}`)).times);
    }
    const sorted = [...times].sort((a, b) => a - b);
    report(args, 'list_page_100', {pages: times.length, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted[sorted.length - 1] ?? NaN, totalMs: performance.now() - started});

    const filtered: number[] = [];
    for (let r = 0; r < args.repetitions; r++) {
      for (const target of parents) filtered.push(...(await listAll(sim.url, `projects/${target.project}/locations/${target.location}`, 'state!=JOB_STATE_SUCCEEDED AND labels.team:*')).times);
    }
    const sortedFiltered = [...filtered].sort((a, b) => a - b);
    report(args, 'list_page_filtered', {pages: filtered.length, medianMs: percentile(sortedFiltered, 50), p95Ms: percentile(sortedFiltered, 95)});
  } finally {
    await sim.close();
  }
  report(args, 'total', {ms: performance.now() - wallStart, peakRssMb: process.resourceUsage().maxRSS / 1024});
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
