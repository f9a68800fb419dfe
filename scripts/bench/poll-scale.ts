// One scale of bench-poll: seed N jobs, then measure both pollers' cold, quiet and change cycles
// (and nasmon's periodic sweep) on the same simulated jobs, one poller at a time.
import type {Target} from '../../shared/config.js';
import type {PollStore} from '../../shared/ports/poll-store.js';
import {measureCycle, medianFigures, type CycleFigures} from './measure.js';
import {profiled} from './profiler.js';
import {NASMON_HOLDER, type Poller, type PollerCycleResult} from './pollers.js';
import type {CycleKind, CycleRow, Printer} from './report.js';
import type {SimAdmin} from './sim-admin.js';

export interface ScaleSetup {
  readonly admin: SimAdmin;
  readonly nasmon: Poller;
  /** Left out with --naive=false. */
  readonly naive: Poller | undefined;
  readonly nasmonStore: PollStore;
  readonly printer: Printer;
  readonly sweepEveryMs: number;
  readonly simCpuMs: () => number | undefined;
  /** Called once the cold cycles are done (the digest is at its largest then). */
  readonly afterCold?: (targets: readonly Target[]) => Promise<void>;
}

export interface ScaleOptions {
  readonly jobs: number;
  readonly jobsPerTarget: number;
  readonly repeats: number;
  /** Quiet and change runs of the naive poller at `naiveBoundFrom` jobs and more. */
  readonly naiveRepeats: number;
  readonly naiveBoundFrom: number;
  readonly changeShare: number;
}

// Forced states rotate: RUNNING stays in the active list (seen by list, then a trials get); the
// terminal ones leave it (nasmon must notice them missing and get them).
const FORCED = ['JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'];

const MAX_COLD_CYCLES = 50;

interface Run {
  readonly figures: CycleFigures;
  readonly result: PollerCycleResult;
}

/** Runs one scale and prints a row per (poller, cycle kind); returns the rows. */
export async function runScale(setup: ScaleSetup, options: ScaleOptions): Promise<CycleRow[]> {
  const {admin, printer} = setup;
  const targets = await seedTargets(admin, options);
  // The seeded jobs are stuck in PENDING; an hour on the simulated clock puts their create times
  // outside nasmon's create_time window, as for any job older than a few minutes.
  await admin.advance(3600);
  for (const {target} of targets) await setup.nasmonStore.acquireLease(target, NASMON_HOLDER, 6 * 3600_000);
  const rows: CycleRow[] = [];
  const failed = new Set<string>();
  const measure = async (poller: Poller | undefined, runs: Run[], kind: CycleKind, offsetMs = 0): Promise<void> => {
    if (!poller || failed.has(poller.name)) return;
    const now = new Date((await admin.clock()) + offsetMs);
    let result: PollerCycleResult = {};
    try {
      const figures = await measureCycle(
        {admin, firestore: poller.firestore, publisher: poller.publisher, simCpuMs: setup.simCpuMs},
        async () => void (result = await profiled(poller.name === 'nasmon' ? kind : 'naive', () => poller.cycle(targets.map(t => t.target), now))),
      );
      runs.push({figures, result});
    } catch (error) {
      failed.add(poller.name);
      const row = {...emptyFigures(), poller: poller.name, jobs: options.jobs, targets: targets.length, changed: 0, cycle: kind, runs: 0};
      rows.push({...row, error: error instanceof Error ? error.message.slice(0, 300) : String(error)});
      printer.row(rows[rows.length - 1]!);
    }
  };
  const emit = (poller: Poller | undefined, kind: CycleKind, runs: Run[], changed: number, note?: string) => {
    if (!poller || runs.length === 0) return;
    const last = runs[runs.length - 1]!.result;
    const row: CycleRow = {
      poller: poller.name, jobs: options.jobs, targets: targets.length, changed, cycle: kind, runs: runs.length,
      ...medianFigures(runs.map(run => run.figures)),
      ...(kind === 'cold' ? {rssMb: Math.max(...runs.map(run => run.figures.rssMb))} : {}),
      ...(last.gets === undefined ? {} : {gets: last.gets, deferred: last.deferred ?? 0, expectedVertexCalls: last.expectedVertexCalls}),
      ...(note === undefined ? {} : {note}),
    };
    rows.push(row);
    printer.row(row);
  };
  const bounded = options.jobs >= options.naiveBoundFrom;
  const naiveRuns = bounded ? Math.min(options.naiveRepeats, options.repeats) : options.repeats;
  const naiveNote = bounded ? `naive bounded to ${naiveRuns} run(s) at this scale` : undefined;

  for (const poller of [setup.nasmon, setup.naive]) {
    const runs: Run[] = [];
    // nasmon records at most maxNewJobsPerCycle first sightings per target and cycle; the cold
    // row is then the median of the cycles it takes to have seen every job.
    do await measure(poller, runs, 'cold');
    while (runs.length < MAX_COLD_CYCLES && (runs[runs.length - 1]?.result.deferredNew ?? 0) > 0);
    const note = poller?.name === 'nasmon' ? `first sighting of every job, over ${runs.length} cycle(s); rssMb is the highest` : undefined;
    emit(poller, 'cold', runs, options.jobs, note);
  }
  await setup.afterCold?.(targets.map(t => t.target));
  const quiet = {nasmon: [] as Run[], naive: [] as Run[]};
  for (let round = 0; round < options.repeats; round++) {
    await measure(setup.nasmon, quiet.nasmon, 'quiet');
    if (round < naiveRuns) await measure(setup.naive, quiet.naive, 'quiet');
  }
  emit(setup.nasmon, 'quiet', quiet.nasmon, 0);
  emit(setup.naive, 'quiet', quiet.naive, 0, naiveNote);

  const changes = {nasmon: [] as Run[], naive: [] as Run[]};
  let changed = 0;
  for (let round = 0; round < options.repeats; round++) {
    changed = await forceChanges(admin, targets, options.changeShare, round);
    await measure(setup.nasmon, changes.nasmon, 'changes');
    if (round < naiveRuns) await measure(setup.naive, changes.naive, 'changes');
  }
  emit(setup.nasmon, 'changes', changes.nasmon, changed, 'includes pruning the previous round\'s finished jobs from the digest');
  emit(setup.naive, 'changes', changes.naive, changed, naiveNote);

  // The poller's clock (not the simulator's) moves on by one sweep period, so only the sweep differs.
  const sweep: Run[] = [];
  await measure(setup.nasmon, sweep, 'sweep', setup.sweepEveryMs);
  emit(setup.nasmon, 'sweep', sweep, 0, 'periodic full listing + mirror query (every NASMON_SWEEP_MINUTES)');
  return rows;
}

interface SeededTarget {
  readonly target: Target;
  readonly size: number;
  /** Jobs still PENDING, to be forced in later rounds. */
  readonly pending: string[];
}

async function seedTargets(admin: SimAdmin, options: ScaleOptions): Promise<SeededTarget[]> {
  const count = Math.ceil(options.jobs / options.jobsPerTarget);
  const seeded: SeededTarget[] = [];
  for (let index = 0; index < count; index++) {
    const target = {project: `bench-${options.jobs}-t${index}`, location: 'us-central1'};
    const jobs = Math.floor(options.jobs / count) + (index < options.jobs % count ? 1 : 0);
    const {names} = await admin.seed({...target, count: jobs, scenarioMix: {'stuck-pending': 1}});
    seeded.push({target, size: names.length, pending: [...names]});
  }
  return seeded;
}

/** Forces about `share` of each target's jobs out of PENDING; returns how many were forced. */
async function forceChanges(admin: SimAdmin, targets: readonly SeededTarget[], share: number, round: number): Promise<number> {
  let forced = 0;
  for (const {target, size, pending} of targets) {
    const k = Math.max(1, Math.round(size * share));
    const names = pending.splice(0, k);
    if (names.length < k) throw new Error(`ran out of PENDING jobs to force in ${target.project}`);
    await Promise.all(names.map((name, i) => admin.force(name, FORCED[(i + round) % FORCED.length]!)));
    forced += names.length;
  }
  return forced;
}

function emptyFigures(): CycleFigures {
  return {vertexCalls: 0, vertexLists: 0, vertexGets: 0, vertex429: 0, firestoreReads: 0, firestoreWrites: 0, eventsPublished: 0, wallMs: 0, cpuMs: 0, sysMs: 0, rssMb: 0};
}
