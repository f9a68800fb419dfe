import {enumName, type NasJob} from '../vertex/index.js';
import {diffStage, type BestImprovement, type TrialChange} from './diff-trials.js';
import type {JobRecord, StageRecord, TrialStage} from './job-record.js';
import {enteredStateAt, isSkippedTransition, secondsBetween} from './transition.js';

/** A recorded change of a job's state (or its first sighting, with `previousState` null). */
export interface StateChange {
  readonly previousState: string | null;
  readonly state: string;
  readonly sequence: number;
  readonly observedTime: string;
  /** When the job entered `state` (Vertex's timestamp where it has one). */
  readonly enteredTime: string;
  /** Seconds spent in `previousState`; null for a first sighting. */
  readonly dwellSeconds: number | null;
  readonly skipped: boolean;
}

/** Everything one observation of a job changed. */
export interface JobDiff {
  readonly record: JobRecord;
  readonly observedTime: string;
  readonly stateChange?: StateChange;
  readonly trialChanges: readonly TrialChange[];
  readonly improvements: readonly BestImprovement[];
}

/**
 * Diffs what Vertex returned now for one job against its record. `current.nasJobOutput` is read
 * only when present: a `list` result has none, and then trials are left as recorded.
 */
export function diffJob(previous: JobRecord | undefined, current: NasJob, observedTime: string): JobDiff {
  const state = enumName(current.state);
  const before = previous && !previous.deleted ? previous : undefined;
  const changed = before?.state !== state;
  // A job reported deleted and then seen again keeps counting: its ids must never repeat.
  const stateChange = changed ? describeChange(before, previous?.sequence ?? 0, current, state, observedTime) : undefined;
  const {nasJobOutput, ...snapshot} = current;
  const output = nasJobOutput?.multiTrialJobOutput;
  const stages: Partial<Record<TrialStage, StageRecord>> = {...before?.stages};
  const trialChanges: TrialChange[] = [];
  const improvements: BestImprovement[] = [];
  if (output) {
    for (const [stage, trials] of [['search', output.searchTrials], ['train', output.trainTrials]] as const) {
      if (trials.length === 0 && !before?.stages[stage]) continue;
      const result = diffStage(current, stage, trials, before?.stages[stage]);
      stages[stage] = result.record;
      trialChanges.push(...result.changes);
      if (result.improvement) improvements.push(result.improvement);
    }
  }
  const record: JobRecord = {
    name: current.name,
    job: snapshot,
    state,
    sequence: stateChange?.sequence ?? before?.sequence ?? 1,
    stateSince: stateChange?.enteredTime ?? before?.stateSince ?? observedTime,
    ...(current.updateTime === undefined ? {} : {updateTime: current.updateTime}),
    ...trialsUpdateTime(output !== undefined, current, before),
    stages,
    deleted: false,
  };
  return {record, observedTime, ...(stateChange ? {stateChange} : {}), trialChanges, improvements};
}

function describeChange(before: JobRecord | undefined, lastSequence: number, current: NasJob, state: string, observedTime: string): StateChange {
  const previousState = before?.state ?? null;
  const enteredTime = enteredStateAt(current, previousState, state, observedTime);
  return {
    previousState,
    state,
    sequence: lastSequence + 1,
    observedTime,
    enteredTime,
    dwellSeconds: before ? secondsBetween(before.stateSince, enteredTime) : null,
    skipped: isSkippedTransition(previousState, state, current),
  };
}

function trialsUpdateTime(readTrials: boolean, current: NasJob, before: JobRecord | undefined): {trialsUpdateTime?: string} {
  const value = readTrials ? current.updateTime : before?.trialsUpdateTime;
  return value === undefined ? {} : {trialsUpdateTime: value};
}

/** The record of a job Vertex no longer has, and the sequence number of that last transition. */
export function markDeleted(previous: JobRecord, observedTime: string): JobRecord {
  return {...previous, deleted: true, sequence: previous.sequence + 1, stateSince: observedTime};
}
