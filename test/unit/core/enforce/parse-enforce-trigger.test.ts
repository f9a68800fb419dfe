import {describe, expect, it} from 'vitest';
import {parseEnforceTrigger} from '../../../../shared/core/enforce/index.js';
import {MalformedMessageError, type PubSubMessage} from '../../../../shared/core/messages/pubsub-envelope.js';
import {JOB} from './enforce-kit.js';

// `job: null` leaves ce-nasjob out (undefined would take the default).
const message = (type: string | undefined, json?: unknown, job: string | null = JOB): PubSubMessage => ({
  messageId: 'm-1', json,
  attributes: {...(type === undefined ? {} : {'ce-type': `nasmon.nasjob.v1.${type}`}), ...(job === null ? {} : {'ce-nasjob': job})},
});
const trialData = (trial: Record<string, unknown>, stage: unknown = 'search') => ({jobName: JOB, stage, trial});

describe('parseEnforceTrigger', () => {
  it('evaluates the job of a state change or deletion', () => {
    expect(parseEnforceTrigger(message('stateChanged', {}))).toEqual({kind: 'evaluate', jobName: JOB, trials: []});
    expect(parseEnforceTrigger(message('deleted', {}))).toEqual({kind: 'evaluate', jobName: JOB, trials: []});
  });

  it('evaluates the job of a finished trial, carrying the trial', () => {
    const trial = {id: '4', state: 'INFEASIBLE', startTime: '2026-01-01T00:00:00Z', endTime: '2026-01-01T01:00:00Z'};

    expect(parseEnforceTrigger(message('trialChanged', trialData(trial, 'train')))).toEqual({kind: 'evaluate', jobName: JOB, trials: [{stage: 'train', trial}]});
  });

  it.each<[string, PubSubMessage]>([
    ['its own events', message('enforcement', {})],
    ['requests and best-improved events', message('bestImproved', {})],
    ['event types it does not know', {messageId: 'm', json: {}, attributes: {'ce-type': 'com.example.other', 'ce-nasjob': JOB}}],
    ['trials that have not finished', message('trialChanged', trialData({id: '4', state: 'ACTIVE'}))],
  ])('ignores %s', (_, given) => {
    expect(parseEnforceTrigger(given).kind).toBe('ignore');
  });

  it.each<[string, PubSubMessage, string]>([
    ['no ce-type', message(undefined, {}), 'message.attributes.ce-type'],
    ['no job name', message('stateChanged', {}, null), 'message.attributes.ce-nasjob'],
    ['a job name that is not one', message('stateChanged', {}, 'nasJobs/1'), 'message.attributes.ce-nasjob'],
    ['data that is not an object', message('trialChanged', 'oops'), 'data'],
    ['an unknown stage', message('trialChanged', trialData({id: '1', state: 'SUCCEEDED'}, 'eval')), 'data.stage'],
    ['a trial without id', message('trialChanged', trialData({state: 'SUCCEEDED'})), 'data.trial.id'],
    ['a trial state that is a number', message('trialChanged', trialData({id: '1', state: 4})), 'data.trial.state'],
    ['a garbage end time', message('trialChanged', trialData({id: '1', state: 'SUCCEEDED', endTime: 'soon'})), 'data.trial.endTime'],
  ])('refuses a message with %s, naming the field', (_, given, field) => {
    let caught: unknown;
    try {
      parseEnforceTrigger(given);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(MalformedMessageError);
    expect((caught as MalformedMessageError).field).toBe(field);
  });
});
