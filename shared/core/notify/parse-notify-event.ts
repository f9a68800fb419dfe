import {MalformedMessageError, type PubSubMessage} from '../messages/pubsub-envelope.js';
import {kindOfEventType} from './event-kinds.js';
import {clip, eventFields, type EventFields} from './event-fields.js';
import type {EventJob, EventTrialCounts, NotifyEvent, NotifyEventBase, UnknownEvent} from './notify-event.js';

// Validates one delivery from `nasjob-events` (CloudEvents binary mode: the context in the message
// attributes, the payload in the data; README "Events") into a NotifyEvent. A delivery that cannot
// be one throws MalformedMessageError naming the field; a well-formed event of a type this nasmon
// does not know is returned as `unknown`, so a newer publisher never causes a retry storm.

/** Parses a decoded Pub/Sub message into the event it carries. */
export function parseNotifyEvent(message: PubSubMessage): NotifyEvent | UnknownEvent {
  const attribute = (key: string): string => {
    const value = message.attributes[key];
    if (value === undefined || value === '') throw new MalformedMessageError(`message.attributes.${key}`, 'required');
    return value;
  };
  const id = attribute('ce-id');
  const type = attribute('ce-type');
  const kind = kindOfEventType(type);
  if (!kind) return {kind: 'unknown', id, type};
  const time = attribute('ce-time');
  if (Number.isNaN(Date.parse(time))) throw new MalformedMessageError('message.attributes.ce-time', 'must be an RFC 3339 time');
  const base = {id: clip(id, 1000), time, subject: clip(attribute('ce-nasjob'), 1000), state: clip(attribute('ce-state'), 100)};
  const data = eventFields(message.json, 'data');
  switch (kind) {
    case 'stateChanged':
      return {
        ...base, kind, previousState: data.nullableString('previousState'), sequence: data.number('sequence'),
        dwellSeconds: data.nullableNumber('dwellSeconds'), skipped: data.optionalBoolean('skipped') ?? false, job: eventJob(data.object('job')),
      };
    case 'deleted': {
      const lastState = data.optionalString('lastState');
      return {...base, kind, job: eventJob(data.object('job')), ...(lastState ? {lastState} : {})};
    }
    case 'trialChanged':
      return trialChanged(base, data);
    case 'bestImproved':
      return {
        ...base, kind, stage: data.string('stage'), metricId: data.string('metricId'), value: data.number('value'),
        previousBest: data.nullableNumber('previousBest'), trialId: data.string('trialId'),
      };
    case 'enforcement':
      return {...base, kind, ...definedOnly({rule: data.optionalString('rule'), action: data.optionalString('action'),
        reason: data.optionalString('reason'), dryRun: data.optionalBoolean('dryRun')})};
    case 'request':
      return {
        ...base, kind, caller: data.string('caller'), action: data.string('action'), verdict: data.string('verdict'),
        target: data.string('target'), violations: violationsOf(data.raw.violations),
      };
  }
}

function trialChanged(base: Omit<NotifyEventBase, 'kind'>, data: EventFields): NotifyEvent {
  const trial = data.object('trial');
  const counts = data.optionalObject('counts');
  return {
    ...base, kind: 'trialChanged', stage: data.string('stage'), trialId: trial.string('id'),
    trialState: data.string('state'), previousTrialState: data.nullableString('previousState'),
    ...(counts ? {counts: trialCounts(counts)} : {}),
  };
}

function trialCounts(counts: EventFields): EventTrialCounts {
  const max = counts.optionalNumber('max');
  const maxFailed = counts.optionalNumber('maxFailed');
  return {
    total: counts.number('total'), running: counts.number('running'), succeeded: counts.number('succeeded'),
    infeasible: counts.number('infeasible'), ...(max === undefined ? {} : {max}), ...(maxFailed === undefined ? {} : {maxFailed}),
  };
}

/** The facts of the event's job a message shows; the rest of the snapshot is not kept. */
function eventJob(job: EventFields): EventJob {
  job.string('name');
  const error = job.optionalObject('error');
  const message = error?.optionalString('message');
  const code = error?.optionalNumber('code');
  return {
    labels: job.stringMap('labels'),
    ...definedOnly({
      displayName: job.optionalString('displayName'), createTime: job.optionalString('createTime'),
      startTime: job.optionalString('startTime'), endTime: job.optionalString('endTime'),
    }),
    ...(error ? {error: {message: message ?? '', ...(code === undefined ? {} : {code})}} : {}),
  };
}

function violationsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 20).map(item => {
    const v = item as {rule?: unknown; message?: unknown} | null;
    return clip(`${typeof v?.rule === 'string' ? `${v.rule}: ` : ''}${typeof v?.message === 'string' ? v.message : ''}`, 300);
  });
}

/** The object without its undefined members (exactOptionalPropertyTypes). */
function definedOnly<T extends Record<string, unknown>>(fields: T): {[K in keyof T]?: Exclude<T[K], undefined>} {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {[K in keyof T]?: Exclude<T[K], undefined>};
}
