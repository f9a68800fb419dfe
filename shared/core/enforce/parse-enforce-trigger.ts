import {EVENT_TYPES} from '../events/nasjob-event.js';
import {MalformedMessageError, type PubSubMessage} from '../messages/pubsub-envelope.js';
import {isNasJobName, isTimestamp} from '../vertex/index.js';
import type {StagedTrial} from './trial-log.js';

// Which nasjob-events messages make enforce look at a job. A state change or deletion can settle a
// cancel or change which rules apply; a finished trial moves failed-trials, no-progress and the
// projection. Everything else (enforce's own events included, or it would feed on itself) is ignored.

/** What one event asks of enforce. */
export type EnforceTrigger =
  | {readonly kind: 'evaluate'; readonly jobName: string; readonly trials: readonly StagedTrial[]}
  | {readonly kind: 'ignore'; readonly reason: string};

const FINISHED = new Set(['SUCCEEDED', 'INFEASIBLE']);
const KNOWN_TYPES = new Set<string>(Object.values(EVENT_TYPES));

/** Reads a decoded Pub/Sub message; a message that cannot be a nasmon event throws MalformedMessageError. */
export function parseEnforceTrigger(message: PubSubMessage): EnforceTrigger {
  const type = message.attributes['ce-type'];
  if (!type) throw new MalformedMessageError('message.attributes.ce-type', 'missing; not a nasmon event');
  if (!KNOWN_TYPES.has(type)) return {kind: 'ignore', reason: `unknown event type ${type}`};
  if (type !== EVENT_TYPES.stateChanged && type !== EVENT_TYPES.deleted && type !== EVENT_TYPES.trialChanged) {
    return {kind: 'ignore', reason: `${type} changes nothing enforce judges`};
  }
  const jobName = message.attributes['ce-nasjob'];
  if (!jobName || !isNasJobName(jobName)) throw new MalformedMessageError('message.attributes.ce-nasjob', 'must be a NasJob resource name');
  if (type !== EVENT_TYPES.trialChanged) return {kind: 'evaluate', jobName, trials: []};
  const trial = readTrial(message.json);
  if (!FINISHED.has(trial.trial.state as string)) return {kind: 'ignore', reason: `trial ${trial.trial.id} is ${String(trial.trial.state)}, not finished`};
  return {kind: 'evaluate', jobName, trials: [trial]};
}

function readTrial(json: unknown): StagedTrial {
  const data = object(json, 'data');
  const stage = data.stage;
  if (stage !== 'search' && stage !== 'train') throw new MalformedMessageError('data.stage', 'must be "search" or "train"');
  const raw = object(data.trial, 'data.trial');
  const id = raw.id;
  if (typeof id !== 'string' || id === '') throw new MalformedMessageError('data.trial.id', 'must be a non-empty string');
  if (typeof raw.state !== 'string') throw new MalformedMessageError('data.trial.state', 'must be a trial state name');
  const times: {startTime?: string; endTime?: string} = {};
  for (const key of ['startTime', 'endTime'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isTimestamp(value)) throw new MalformedMessageError(`data.trial.${key}`, 'must be an RFC 3339 time');
    times[key] = value;
  }
  return {stage, trial: {id, state: raw.state as StagedTrial['trial']['state'], ...times}};
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedMessageError(field, 'must be a JSON object');
  return value as Record<string, unknown>;
}
