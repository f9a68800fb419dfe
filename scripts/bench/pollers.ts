// The two pollers under test behind one interface, each over its own Firestore project and topic.
import type {Target} from '../../shared/config.js';
import {runPollCycle, type PollCycleDeps, type PollCycleSettings} from '../../shared/use-cases/poll/run-poll-cycle.js';
import type {FirestoreCounts} from './firestore-counter.js';
import {runNaiveCycle, type NaivePollerDeps} from './naive-poller.js';

/** What a poller's cycle over a set of targets reports back beyond the measured figures. */
export interface PollerCycleResult {
  /** nasmon: gets the plan made and gets it left for later. */
  readonly gets?: number;
  readonly deferred?: number;
  /** nasmon: list pages its listing must cost (ceil(listed/100), at least 1) plus its gets. */
  readonly expectedVertexCalls?: number;
  /** nasmon: first sightings over the per-cycle cap, left for the next cycle. */
  readonly deferredNew?: number;
}

export interface Poller {
  readonly name: 'nasmon' | 'naive';
  readonly firestore: FirestoreCounts;
  readonly publisher: {readonly published: number};
  /** One cycle over every target, one target after the other, at poller time `now`. */
  cycle(targets: readonly Target[], now: Date): Promise<PollerCycleResult>;
}

export const NASMON_HOLDER = 'bench-nasmon';

/** nasmon's runPollCycle with the real adapters, as pollTarget runs it. */
export function nasmonPoller(deps: PollCycleDeps, settings: PollCycleSettings, counts: FirestoreCounts, publisher: {published: number}): Poller {
  return {
    name: 'nasmon', firestore: counts, publisher,
    async cycle(targets, now) {
      let gets = 0;
      let deferred = 0;
      let expectedVertexCalls = 0;
      let deferredNew = 0;
      for (const target of targets) {
        const report = await runPollCycle(target, NASMON_HOLDER, {...deps, now: () => now}, settings);
        gets += report.reads;
        deferred += report.deferredReads;
        deferredNew += report.deferredNew;
        expectedVertexCalls += Math.max(1, Math.ceil((report.listed + report.unreadable) / 100)) + report.reads;
      }
      return {gets, deferred, expectedVertexCalls, deferredNew};
    },
  };
}

/** The naive baseline of naive-poller.ts. */
export function naivePoller(deps: NaivePollerDeps, counts: FirestoreCounts, publisher: {published: number}): Poller {
  return {
    name: 'naive', firestore: counts, publisher,
    async cycle(targets, now) {
      for (const target of targets) await runNaiveCycle(target, {...deps, now: () => now});
      return {};
    },
  };
}
