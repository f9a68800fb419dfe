// Events for notify tests, made by the poller's own code (diffJob + eventsOfDiff), so what notify is
// tested with is what the poller publishes, not a hand-written imitation of it.
import {eventsOfDiff} from '../shared/core/events/job-events.js';
import type {OutboundEvent} from '../shared/core/events/nasjob-event.js';
import type {PubSubMessage} from '../shared/core/messages/pubsub-envelope.js';
import type {NotifyEvent} from '../shared/core/notify/notify-event.js';
import {parseNotifyEvent} from '../shared/core/notify/parse-notify-event.js';
import {diffJob} from '../shared/core/poll/diff-job.js';
import type {JobRecord} from '../shared/core/poll/job-record.js';
import type {NasJob} from '../shared/core/vertex/nas-job.js';
import type {NasTrial} from '../shared/core/vertex/nas-trial.js';
import {aNasJob, aNasTrial} from './factories.js';

export const JOB_NAME = aNasJob().name;

/** The record the poller keeps after seeing `job` for the first time at `time`. */
export function recordOf(job: NasJob, time = '2025-07-20T10:05:00Z'): JobRecord {
  return diffJob(undefined, job, time).record;
}

/**
 * The events of one poll that saw `job` after `before` (a RUNNING job seen at 10:05 by default):
 * the state change first, then trial changes and improvements, as the poller publishes them.
 */
export function pollEvents(job: Partial<NasJob>, options: {before?: JobRecord; time?: string} = {}): OutboundEvent[] {
  const before = options.before ?? recordOf(aNasJob());
  return eventsOfDiff(diffJob(before, aNasJob(job), options.time ?? '2025-07-20T12:05:00Z'));
}

/** The job failing at 12:05 after two hours RUNNING, with Vertex's error. */
export function failedJob(overrides: Partial<NasJob> = {}): Partial<NasJob> {
  return {
    state: 'JOB_STATE_FAILED', endTime: '2025-07-20T12:04:30Z', updateTime: '2025-07-20T12:04:30Z',
    error: {code: 8, message: 'The job ran out of NVIDIA_TESLA_T4 quota in us-central1.', details: []},
    ...overrides,
  };
}

/** `count` search trials; trial i succeeded with accuracy 0.5 + i/1000. */
export function trials(count: number, state: NasTrial['state'] = 'SUCCEEDED'): NasTrial[] {
  return Array.from({length: count}, (_, i) => aNasTrial({
    id: String(i + 1), state, ...(state === 'SUCCEEDED' ? {finalMeasurement: {stepCount: '100', metrics: [{metricId: 'top_1_accuracy', value: 0.5 + (i + 1) / 1000}]}} : {}),
  }));
}

/** The job RUNNING with these search trials (as a `get` returns it). */
export function withTrials(list: NasTrial[]): Partial<NasJob> {
  return {nasJobOutput: {multiTrialJobOutput: {searchTrials: list, trainTrials: []}}};
}

/** An outbound event as a subscriber's decoded Pub/Sub message. */
export function messageOf(event: OutboundEvent, messageId = '1'): PubSubMessage {
  return {messageId, attributes: {...event.attributes}, json: JSON.parse(JSON.stringify(event.data)) as unknown};
}

/** An outbound event parsed as notify parses it. */
export function notifyEventOf(event: OutboundEvent): NotifyEvent {
  const parsed = parseNotifyEvent(messageOf(event));
  if (parsed.kind === 'unknown') throw new Error(`unknown event type ${event.type}`);
  return parsed;
}

/** The Pub/Sub CloudEvent data (`{message: {data (base64), attributes, messageId}}`) of an outbound event. */
export function pushDataOf(event: OutboundEvent, messageId = '1') {
  return {message: {messageId, attributes: {...event.attributes}, data: Buffer.from(JSON.stringify(event.data)).toString('base64')}};
}
