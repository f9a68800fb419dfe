import {locationName} from '../../core/vertex/index.js';
import {isVertexApiError} from '../../core/vertex/vertex-api-error.js';
import type {NasJob, NasJobHead} from '../../core/vertex/index.js';
import type {Observation} from '../../core/poll/apply-observation.js';
import type {Target} from '../../config.js';
import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {PollStore, RecordedJob, TargetDigest} from '../../ports/poll-store.js';
import type {VertexNasClient} from '../../adapters/vertex/vertex-nas-client.js';
import {changedHeadsKeeper, decodeListed, type KnownJobs} from './decode-listed.js';
import {activeJobsFilter, isTerminalStateName, planReads, type PlannedRead} from './plan-reads.js';
import {publishBatches} from './publish-batches.js';
import {screenJobs, type ScreenedOut} from './screen-jobs.js';

export interface PollCycleDeps {
  readonly vertex: Pick<VertexNasClient, 'listNasJobHeads' | 'getNasJob'>;
  readonly store: PollStore;
  readonly publisher: EventPublisher;
  readonly log: Logger;
  readonly now: () => Date;
  /**
   * Vertex's clock as far as its answers have shown it (server-clock.ts). The create_time window
   * reaches back from the earlier of the two clocks: measured from this instance's clock alone, a
   * skew ahead of Vertex's by more than the window would keep a job created and finished between
   * two cycles out of every list until the next sweep.
   */
  readonly vertexNow?: () => Date;
}

export interface PollCycleSettings {
  /** Gets one cycle may make (its share of the read quota, less the list pages). */
  readonly maxReadsPerCycle: number;
  /** How far back the create_time window of a normal cycle reaches. */
  readonly createWindowMs: number;
  /** How often a cycle lists every job, to notice finished jobs that were deleted. */
  readonly sweepEveryMs: number;
  /** Jobs seen for the first time that one cycle records; the rest wait for the next cycles. */
  readonly maxNewJobsPerCycle: number;
}

/** Figures of one cycle, logged and returned for tests and benchmarks. */
export interface CycleReport {
  readonly listed: number;
  readonly unreadable: number;
  readonly reads: number;
  readonly deferredReads: number;
  /** First sightings over maxNewJobsPerCycle, recorded by a later cycle. */
  readonly deferredNew: number;
  readonly observations: number;
  readonly batches: number;
  readonly published: number;
  /** Batches left in the outbox for the next cycle. */
  readonly unpublished: number;
  readonly sweep: boolean;
}

/** One poll of one target: list, plan gets, record the differences, publish after commit. */
export async function runPollCycle(target: Target, holder: string, deps: PollCycleDeps, settings: PollCycleSettings): Promise<CycleReport> {
  const {store, log} = deps;
  // What an earlier crash or outage left behind goes first; what still fails is retried ahead of
  // this cycle's batches, so one job's events never overtake each other.
  const leftovers = await publishBatches(deps, await store.pendingOutbox(target, 200));
  const digest = await store.readDigest(target);
  const started = deps.now();
  const observedTime = started.toISOString();
  const sweep = sweepDue(digest, started, settings.sweepEveryMs);
  const windowEndMs = Math.min(started.getTime(), deps.vertexNow?.().getTime() ?? Number.POSITIVE_INFINITY);
  const filter = sweep ? undefined : activeJobsFilter(new Date(windowEndMs - settings.createWindowMs).toISOString());
  const recorded = sweep ? await store.recordedJobs(target) : undefined;
  const known = recorded ? withDroppedFinished(digest, recorded) : digest.jobs;
  const listing = await deps.vertex.listNasJobHeads(locationName(target), {
    ...(filter === undefined ? {} : {filter}),
    keepSource: changedHeadsKeeper(known, settings.maxNewJobsPerCycle),
    recorded: known,
  });
  for (const bad of listing.invalid) {
    log.warn('skipping a job Vertex returned unreadable', {job: bad.name ?? bad.path, field: bad.error.path, reason: bad.error.message});
  }
  const screened = screenJobs(listing.items);
  logScreenedOut(log, screened.rejected);
  const decoded = decodeListed(screened.usable, known);
  for (const bad of decoded.garbage) {
    log.warn('skipping a job Vertex returned unreadable', {job: bad.name, field: bad.error.path, reason: bad.error.message});
  }
  const unreadable = new Set([
    ...listing.invalid.flatMap(bad => (bad.name === undefined ? [] : [bad.name])),
    ...screened.rejected.map(bad => bad.name),
    ...decoded.garbage.map(bad => bad.name),
  ]);
  const {listed} = decoded;
  const plan = planReads({
    listed, unreadable, digest, maxReads: settings.maxReadsPerCycle,
    ...(recorded ? {recorded: recorded.map(job => job.name)} : {}),
  });
  const fetched = await readJobs(deps, plan.reads);
  const observations = mergeObservations(decoded.changed, fetched);
  const batches = observations.length === 0 ? [] : await store.recordObservations(target, holder, observations, observedTime);
  const {published, waiting} = await publishBatches(deps, [...leftovers.waiting, ...batches]);
  const tracked = new Set(decoded.changed.map(job => job.name));
  const read = fetched
    .filter(observation => observation.kind === 'seen' && (digest.jobs.has(observation.name) || tracked.has(observation.name)))
    .map(observation => observation.name);
  if (read.length > 0) await store.markTrialsRead(target, read, observedTime);
  await pruneFinished(store, target, digest, listed, observations);
  // A sweep whose missing jobs did not all fit under the read cap runs again next cycle, which reads
  // the next of them; saving it as done would leave those deletions unseen until the next period.
  if (sweep && plan.sweepComplete) await store.saveScanTimes(target, {lastSweepTime: observedTime});
  const report: CycleReport = {
    listed: listed.length, unreadable: unreadable.size, reads: plan.reads.length,
    deferredReads: plan.deferred, deferredNew: decoded.deferredNew, observations: observations.length, batches: batches.length,
    published: leftovers.published + published, unpublished: waiting.length, sweep,
  };
  log.info('poll cycle', {target: `${target.project}/${target.location}`, ...report});
  return report;
}

function logScreenedOut(log: Logger, rejected: readonly ScreenedOut[]): void {
  for (const bad of rejected) log.warn('skipping a job whose state cannot be recorded', {job: bad.name, field: bad.field, reason: bad.reason});
}

// Finished jobs leave the digest once recorded (pruneFinished); the mirror still knows them.
function withDroppedFinished(digest: TargetDigest, recorded: readonly RecordedJob[]): KnownJobs {
  const known = new Map<string, RecordedJob>(recorded.filter(job => isTerminalStateName(job.state)).map(job => [job.name, job]));
  for (const [name, entry] of digest.jobs) known.set(name, entry); // the digest wins where it has the job
  return known;
}

function sweepDue(digest: TargetDigest, now: Date, everyMs: number): boolean {
  return !digest.lastSweepTime || now.getTime() - Date.parse(digest.lastSweepTime) >= everyMs;
}

/** Gets each planned job; 404 means gone; any other failure skips the job until the next cycle. */
async function readJobs(deps: PollCycleDeps, reads: readonly PlannedRead[]): Promise<Observation[]> {
  const results = await Promise.all(reads.map(async ({name, reason}): Promise<Observation | undefined> => {
    try {
      const job = await deps.vertex.getNasJob(name);
      const {rejected} = screenJobs([job]);
      if (rejected.length === 0) return {kind: 'seen', name, job};
      logScreenedOut(deps.log, rejected);
      return undefined;
    } catch (error) {
      if (isVertexApiError(error, 'NOT_FOUND')) return {kind: 'gone', name};
      deps.log.warn('could not read a job; trying again next cycle', {job: name, reason, error: error as Error});
      return undefined;
    }
  }));
  return results.filter((observation): observation is Observation => observation !== undefined);
}

// A `get` supersedes the list snapshot of the same job: it is as new and carries the trials.
function mergeObservations(changed: readonly NasJob[], fetched: readonly Observation[]): Observation[] {
  const byName = new Map<string, Observation>(changed.map(job => [job.name, {kind: 'seen', name: job.name, job}]));
  for (const observation of fetched) byName.set(observation.name, observation);
  return [...byName.values()];
}

// Finished jobs leave the digest once a normal listing no longer returns them; the mirror keeps them.
async function pruneFinished(store: PollStore, target: Target, digest: TargetDigest, listed: readonly NasJobHead[], observations: readonly Observation[]): Promise<void> {
  const listedNames = new Set(listed.map(job => job.name));
  const justSeen = new Set(observations.map(observation => observation.name));
  const finished = [...digest.jobs.values()]
    .filter(entry => isTerminalStateName(entry.state) && !listedNames.has(entry.name) && !justSeen.has(entry.name))
    .map(entry => entry.name);
  if (finished.length > 0) await store.pruneDigest(target, finished);
}
