import {describe, expect, it} from 'vitest';
import {adaptRecords} from '../../../../scripts/soak/truth.js';
import type {TruthRecords} from '../../../../test/truth/truth-records.js';

const JOB = 'projects/755448683253/locations/us-central1/nasJobs/1234567890123456789';
const at = (iso: string) => `2026-11-27T10:${iso}.000000Z`;

function records(overrides: {deleteTime?: string; history?: string[]; cancels?: string[]} = {}): TruthRecords {
  return {
    truth: {
      now: at('05:00'),
      jobs: [{
        name: JOB, deleted: overrides.deleteTime !== undefined, ...(overrides.deleteTime ? {deleteTime: overrides.deleteTime} : {}),
        states: [{state: 'JOB_STATE_PENDING', time: at('00:00')}, {state: 'JOB_STATE_SUCCEEDED', time: at('01:00')}],
        cancelRequests: (overrides.cancels ?? []).map(time => ({time, effect: 'started' as const})),
      }],
    },
    history: (overrides.history ?? []).map((state, i) => ({
      job: JOB, docId: String(i + 1).padStart(6, '0'), sequence: i + 1, state, previousState: null, observedTime: at('00:01'), skipped: false, eventId: `e${i}`,
    })),
    audit: [
      {id: 'a1', fields: {caller: 'caller-1@vision.soak.example', action: 'cancel', verdict: 'allowed', target: 'projects/soak-vision/locations/us-central1/nasJobs/1234567890123456789'}},
      {id: 'enforce~x~cancel', fields: {source: 'enforce', action: 'cancel', target: JOB}},
    ],
    enforcement: [],
    events: [],
  };
}

describe('adaptRecords', () => {
  it("names the job of a caller's cancel as the simulator does (project number, not id)", () => {
    const {records: adapted} = adaptRecords(records(), 75_000, Date.parse(at('05:00')));
    expect(adapted.audit.map(entry => entry.fields.target)).toEqual([JOB, JOB]);
  });

  it('does not hold a deletion younger than a sweep against nasmon, unless it recorded it', () => {
    const young = adaptRecords(records({deleteTime: at('04:30')}), 75_000, Date.parse(at('05:00')));
    expect(young.deletionsNotDueYet).toBe(1);
    expect(young.records.truth.jobs[0]).toMatchObject({deleted: false});
    expect(young.records.truth.jobs[0]!.deleteTime).toBeUndefined();

    const recorded = adaptRecords(records({deleteTime: at('04:30'), history: ['JOB_STATE_PENDING', 'JOB_STATE_SUCCEEDED', 'DELETED']}), 75_000, Date.parse(at('05:00')));
    expect(recorded.deletionsNotDueYet).toBe(0);
    expect(recorded.records.truth.jobs[0]!.deleteTime).toBe(at('04:30'));

    const old = adaptRecords(records({deleteTime: at('03:00')}), 75_000, Date.parse(at('05:00')));
    expect(old.deletionsNotDueYet).toBe(0);
    expect(old.records.truth.jobs[0]!.deleteTime).toBe(at('03:00'));
  });

  it('leaves out the cancels Vertex served from shortly before the reading on', () => {
    const {records: adapted} = adaptRecords(records({cancels: [at('02:00'), at('04:58')]}), 75_000, Date.parse(at('04:55')));
    expect(adapted.truth.jobs[0]!.cancelRequests).toEqual([{time: at('02:00'), effect: 'started'}]);
  });
});
