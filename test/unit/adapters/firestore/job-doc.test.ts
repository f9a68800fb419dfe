import {describe, expect, it} from 'vitest';
import {toJobDoc} from '../../../../shared/adapters/firestore/job-doc.js';
import {parseNasJob, type JobState} from '../../../../shared/core/vertex/index.js';

const NAME = 'projects/123/locations/us-central1/nasJobs/42';
const TARGET = {project: 'nas-dev', location: 'us-central1'};

function recordIn(state: string, deleted = false) {
  const job = parseNasJob({name: NAME, displayName: 'search', state, labels: {team: 'nlp'}});
  return {name: NAME, job, state, sequence: 3, stateSince: '2026-11-28T00:00:00Z', stages: {}, deleted};
}

describe('toJobDoc', () => {
  // `active` is what the gate's team count queries on; it must agree with the monitor's own classification.
  it.each<[JobState, boolean]>([
    ['JOB_STATE_UNSPECIFIED', false], ['JOB_STATE_QUEUED', true], ['JOB_STATE_PENDING', true], ['JOB_STATE_RUNNING', true],
    ['JOB_STATE_SUCCEEDED', false], ['JOB_STATE_FAILED', false], ['JOB_STATE_CANCELLING', true], ['JOB_STATE_CANCELLED', false],
    ['JOB_STATE_PAUSED', false], ['JOB_STATE_EXPIRED', false], ['JOB_STATE_UPDATING', true], ['JOB_STATE_PARTIALLY_SUCCEEDED', false],
  ])('marks a job in %s active: %s', (state, active) => {
    expect(toJobDoc(recordIn(state), TARGET)).toMatchObject({state, deleted: false, active, team: 'nlp'});
  });

  it('never marks a deleted job active, whatever its last state', () => {
    expect(toJobDoc(recordIn('JOB_STATE_RUNNING', true), TARGET)).toMatchObject({deleted: true, active: false});
  });
});
