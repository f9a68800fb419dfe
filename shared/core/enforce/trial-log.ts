import {enumName, parseTimestampMs, type NasJob, type NasTrial} from '../vertex/index.js';
import type {EnforceState, TrialLog, TrialMark} from './enforce-state.js';

// The finished trials enforce keeps per job. They arrive from trialChanged events and from the
// trials of a `get`; both are keyed by stage and trial id, so a redelivered event changes nothing.

/** Enough recent trials for a stable median, and small enough to keep the document a few kB. */
export const MAX_TRIAL_MARKS = 200;

/** A trial with the stage it ran in. */
export interface StagedTrial {
  readonly stage: 'search' | 'train';
  readonly trial: Pick<NasTrial, 'id' | 'state' | 'startTime' | 'endTime'>;
}

/** Adds the finished trials among `trials` to the state's log, dropping the oldest beyond the cap. */
export function mergeFinishedTrials(state: EnforceState, trials: readonly StagedTrial[]): EnforceState {
  const log: Record<string, TrialMark> = {...state.trials};
  let added = 0;
  for (const {stage, trial} of trials) {
    const mark = markOf(stage, trial);
    const key = `${stage}/${trial.id}`;
    if (!mark || log[key]) continue;
    log[key] = mark;
    added += 1;
  }
  if (added === 0) return state;
  const kept = Object.entries(log).sort(([, a], [, b]) => b.endMs - a.endMs).slice(0, MAX_TRIAL_MARKS);
  return {...state, trials: Object.fromEntries(kept), trialsSeen: state.trialsSeen + added};
}

/** Both stages' trials of a job read with `get` (none for a listed job). */
export function trialsOfJob(job: NasJob): StagedTrial[] {
  const output = job.nasJobOutput?.multiTrialJobOutput;
  if (!output) return [];
  return [
    ...output.searchTrials.map(trial => ({stage: 'search' as const, trial})),
    ...output.trainTrials.map(trial => ({stage: 'train' as const, trial})),
  ];
}

// Only trials that ended (SUCCEEDED or INFEASIBLE, with an end time) count; a trial without an id
// cannot be de-duplicated, so it is left out rather than counted twice.
function markOf(stage: 'search' | 'train', trial: StagedTrial['trial']): TrialMark | undefined {
  const state = enumName(trial.state);
  if (!trial.id || (state !== 'SUCCEEDED' && state !== 'INFEASIBLE')) return undefined;
  const endMs = trial.endTime === undefined ? undefined : parseTimestampMs(trial.endTime);
  if (endMs === undefined) return undefined;
  const startMs = trial.startTime === undefined ? undefined : parseTimestampMs(trial.startTime);
  const seconds = startMs === undefined || startMs > endMs ? undefined : (endMs - startMs) / 1000;
  return {stage, endMs, failed: state === 'INFEASIBLE', ...(seconds === undefined ? {} : {seconds})};
}

/** The latest end of any logged trial. */
export function lastFinishMs(log: TrialLog): number | undefined {
  let last: number | undefined;
  for (const mark of Object.values(log)) if (last === undefined || mark.endMs > last) last = mark.endMs;
  return last;
}

/** Run times of the logged SUCCEEDED search trials (crashed trials would make the median too short). */
export function searchDurations(log: TrialLog): number[] {
  return Object.values(log).filter(mark => mark.stage === 'search' && !mark.failed && mark.seconds !== undefined).map(mark => mark.seconds!);
}

/** The median of `values`; undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
