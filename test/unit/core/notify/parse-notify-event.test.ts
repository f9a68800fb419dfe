import {describe, expect, it} from 'vitest';
import {buildEvent, EVENT_TYPES} from '../../../../shared/core/events/nasjob-event.js';
import {MalformedMessageError, type PubSubMessage} from '../../../../shared/core/messages/pubsub-envelope.js';
import {parseNotifyEvent} from '../../../../shared/core/notify/parse-notify-event.js';
import {failedJob, JOB_NAME, messageOf, pollEvents, recordOf, trials, withTrials} from '../../../notify-events.js';
import {aNasJob} from '../../../factories.js';

function fieldOf(message: PubSubMessage): string {
  try {
    parseNotifyEvent(message);
  } catch (error) {
    if (error instanceof MalformedMessageError) return error.field;
    throw error;
  }
  return 'no error';
}

describe('parseNotifyEvent', () => {
  it('reads a state change as the poller publishes it, keeping only what a message shows', () => {
    const [event] = pollEvents(failedJob());

    expect(parseNotifyEvent(messageOf(event!))).toEqual({
      id: `${JOB_NAME}/state/2`, kind: 'stateChanged', time: '2025-07-20T12:05:00Z', subject: JOB_NAME, state: 'JOB_STATE_FAILED',
      previousState: 'JOB_STATE_RUNNING', sequence: 2, dwellSeconds: 7170, skipped: false,
      job: {
        labels: {team: 'vision'}, displayName: 'search-job', createTime: '2025-07-20T10:00:00.000000Z', startTime: '2025-07-20T10:05:00.000000Z',
        endTime: '2025-07-20T12:04:30Z', error: {code: 8, message: 'The job ran out of NVIDIA_TESLA_T4 quota in us-central1.'},
      },
    });
  });

  it('reads trial changes and best-metric improvements with their counts and values', () => {
    const events = pollEvents(withTrials(trials(2))).map(event => parseNotifyEvent(messageOf(event)));

    expect(events.map(event => event.kind)).toEqual(['trialChanged', 'trialChanged', 'bestImproved']);
    expect(events[0]).toMatchObject({stage: 'search', trialId: '1', trialState: 'SUCCEEDED', previousTrialState: null, counts: {total: 2, succeeded: 2, max: 20}});
    expect(events[2]).toMatchObject({metricId: 'top_1_accuracy', value: 0.502, previousBest: null, trialId: '2'});
  });

  it('reads a deletion, an enforcement action and a gate request', () => {
    const enforcement = buildEvent({id: 'e1', type: EVENT_TYPES.enforcement, job: {name: JOB_NAME}, time: '2025-07-20T12:00:00Z', state: 'JOB_STATE_RUNNING'},
      {jobName: JOB_NAME, rule: 'max-run-time', action: 'warn', reason: '80% of 3d', dryRun: false});
    const request = buildEvent({id: 'r1', type: EVENT_TYPES.request, job: {name: 'projects/nas-prod/locations/us-central1'}, time: '2025-07-20T12:00:00Z', state: 'denied'},
      {caller: 'bob@example.com', action: 'create', target: 'projects/nas-prod/locations/us-central1', verdict: 'denied', violations: [{rule: 'gpus', message: 'too many'}]});
    const deleted = buildEvent({id: 'd1', type: EVENT_TYPES.deleted, job: {name: JOB_NAME}, time: '2025-07-20T12:00:00Z', state: 'JOB_STATE_SUCCEEDED'},
      {job: recordOf(aNasJob()).job, observedTime: '2025-07-20T12:00:00Z', sequence: 3, lastState: 'JOB_STATE_SUCCEEDED'});

    expect(parseNotifyEvent(messageOf(enforcement))).toMatchObject({kind: 'enforcement', rule: 'max-run-time', action: 'warn', reason: '80% of 3d', dryRun: false});
    expect(parseNotifyEvent(messageOf(request))).toMatchObject({kind: 'request', verdict: 'denied', violations: ['gpus: too many'], subject: 'projects/nas-prod/locations/us-central1'});
    expect(parseNotifyEvent(messageOf(deleted))).toMatchObject({kind: 'deleted', lastState: 'JOB_STATE_SUCCEEDED', job: {displayName: 'search-job'}});
  });

  it('returns an unknown event for a type it does not know, so the edge can acknowledge it', () => {
    const message = {messageId: '1', attributes: {'ce-id': 'x-1', 'ce-type': 'nasmon.nasjob.v2.somethingNew'}, json: {}};

    expect(parseNotifyEvent(message)).toEqual({kind: 'unknown', id: 'x-1', type: 'nasmon.nasjob.v2.somethingNew'});
  });

  const good = messageOf(pollEvents(failedJob())[0]!);
  const withData = (data: unknown): PubSubMessage => ({...good, json: data});
  const without = (key: string): PubSubMessage => ({...good, attributes: Object.fromEntries(Object.entries(good.attributes).filter(([k]) => k !== key))});
  const goodData = good.json as Record<string, unknown>;

  it.each<[string, PubSubMessage, string]>([
    ['no ce-id', without('ce-id'), 'message.attributes.ce-id'],
    ['no ce-type', without('ce-type'), 'message.attributes.ce-type'],
    ['no ce-nasjob', without('ce-nasjob'), 'message.attributes.ce-nasjob'],
    ['a ce-time that is no time', {...good, attributes: {...good.attributes, 'ce-time': 'soon'}}, 'message.attributes.ce-time'],
    ['no data', withData(undefined), 'data'],
    ['data that is a list', withData([1]), 'data'],
    ['a sequence that is a string', withData({...goodData, sequence: '2'}), 'data.sequence'],
    ['no job', withData({...goodData, job: undefined}), 'data.job'],
    ['a job without a name', withData({...goodData, job: {displayName: 'x'}}), 'data.job.name'],
    ['labels that are not strings', withData({...goodData, job: {name: JOB_NAME, labels: {team: 1}}}), 'data.job.labels'],
    ['a skipped flag that is a string', withData({...goodData, skipped: 'no'}), 'data.skipped'],
  ])('names the field when a state change has %s', (_, message, field) => {
    expect(fieldOf(message)).toBe(field);
  });

  it('names the trial id when a trial change has none', () => {
    const trial = messageOf(pollEvents(withTrials(trials(1)))[0]!);
    const data = trial.json as Record<string, unknown>;

    expect(fieldOf({...trial, json: {...data, trial: {state: 'SUCCEEDED'}}})).toBe('data.trial.id');
  });

  it('cuts an enormous error message instead of storing it whole', () => {
    const [event] = pollEvents(failedJob({error: {code: 13, message: 'x'.repeat(50_000), details: []}}));
    const parsed = parseNotifyEvent(messageOf(event!));

    expect(parsed.kind === 'stateChanged' && parsed.job.error?.message.length).toBe(2000);
  });
});
