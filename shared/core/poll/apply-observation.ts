import {isActiveJobState, type JobState, type NasJob} from '../vertex/index.js';
import {deletedEvent, eventsOfDiff} from '../events/job-events.js';
import type {OutboundEvent} from '../events/nasjob-event.js';
import {diffJob, markDeleted} from './diff-job.js';
import type {JobRecord} from './job-record.js';

/** What a poll saw of one job: its snapshot, or `gone` when Vertex answered 404. */
export type Observation =
  | {readonly kind: 'seen'; readonly name: string; readonly job: NasJob}
  | {readonly kind: 'gone'; readonly name: string};

/** One line of a job's transition history. */
export interface HistoryEntry {
  readonly sequence: number;
  readonly state: string;
  readonly previousState: string | null;
  readonly observedTime: string;
  readonly enteredTime: string;
  readonly dwellSeconds: number | null;
  readonly skipped: boolean;
  readonly eventId: string;
}

/** The writes one observation asks for; `record` undefined means nothing to store. */
export interface Recording {
  readonly record?: JobRecord;
  readonly history?: HistoryEntry;
  readonly events: readonly OutboundEvent[];
}

/**
 * Applies one observation to the stored record. Runs inside the store's transaction against the
 * record as committed, so two pollers that saw the same change cannot both record it.
 */
export function applyObservation(previous: JobRecord | undefined, observation: Observation, observedTime: string): Recording {
  if (observation.kind === 'gone') {
    if (!previous || previous.deleted) return {events: []}; // never recorded, or already reported
    // Vertex deletes only finished jobs (vertex-nasjobs-api.md §Delete), so a job last seen active
    // reached its final state between two polls: the deletion jumped over it, and says so.
    const skipped = isActiveJobState(previous.state as JobState); // a state unknown to this client is not active
    const record = markDeleted(previous, observedTime);
    const event = deletedEvent(record, observedTime, skipped);
    const history: HistoryEntry = {
      sequence: record.sequence, state: 'DELETED', previousState: previous.state, observedTime,
      enteredTime: observedTime, dwellSeconds: null, skipped, eventId: event.id,
    };
    return {record, history, events: [event]};
  }
  const diff = diffJob(previous, observation.job, observedTime);
  const events = eventsOfDiff(diff);
  const unchanged = events.length === 0 && previous?.updateTime === diff.record.updateTime
    && previous?.trialsUpdateTime === diff.record.trialsUpdateTime;
  if (unchanged) return {events: []};
  const change = diff.stateChange;
  const history: HistoryEntry | undefined = change && {
    sequence: change.sequence, state: change.state, previousState: change.previousState,
    observedTime: change.observedTime, enteredTime: change.enteredTime, dwellSeconds: change.dwellSeconds,
    skipped: change.skipped, eventId: events[0]!.id,
  };
  return {record: diff.record, ...(history ? {history} : {}), events};
}
