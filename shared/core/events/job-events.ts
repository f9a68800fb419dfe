import {enumName} from '../vertex/index.js';
import type {JobDiff} from '../poll/diff-job.js';
import type {JobRecord} from '../poll/job-record.js';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from './nasjob-event.js';

// Event ids are readable paths, unique per transition and identical for the same transition however
// often it is observed or published: consumers de-duplicate on them.

/** The events of one job diff, in the order they happened: the state change first, then trials. */
export function eventsOfDiff(diff: JobDiff): OutboundEvent[] {
  const {record} = diff;
  const name = record.name;
  const events: OutboundEvent[] = [];
  const change = diff.stateChange;
  if (change) {
    events.push(buildEvent(
      {id: `${name}/state/${change.sequence}`, type: EVENT_TYPES.stateChanged, job: record.job,
        time: change.observedTime, state: change.state, previousState: change.previousState},
      {
        job: record.job, previousState: change.previousState, state: change.state, sequence: change.sequence,
        observedTime: change.observedTime, enteredTime: change.enteredTime, dwellSeconds: change.dwellSeconds,
        skipped: change.skipped,
      },
    ));
  }
  const time = diff.observedTime;
  for (const trialChange of diff.trialChanges) {
    const {stage, trial, previousState, counts} = trialChange;
    const state = enumName(trial.state);
    events.push(buildEvent(
      {id: `${name}/trial/${stage}/${trial.id}/${state}`, type: EVENT_TYPES.trialChanged, job: record.job,
        time, state: record.state},
      {jobName: name, stage, trial, previousState, state, counts},
    ));
  }
  for (const improvement of diff.improvements) {
    events.push(buildEvent(
      {id: `${name}/best/${improvement.stage}/${improvement.metricId}/${improvement.trialId}`,
        type: EVENT_TYPES.bestImproved, job: record.job, time, state: record.state},
      {jobName: name, ...improvement},
    ));
  }
  return events;
}

/** The event for a job Vertex no longer has; `deleted` is the record after markDeleted. */
export function deletedEvent(deleted: JobRecord, observedTime: string, skipped: boolean): OutboundEvent {
  return buildEvent(
    {id: `${deleted.name}/deleted/${deleted.sequence}`, type: EVENT_TYPES.deleted, job: deleted.job,
      time: observedTime, state: deleted.state},
    {job: deleted.job, observedTime, sequence: deleted.sequence, lastState: deleted.state, skipped},
  );
}
