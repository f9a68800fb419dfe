import type {NasJob} from '../vertex/index.js';

// The wire contract of topic `nasjob-events` (design.md, "Events"): CloudEvents 1.0 in Pub/Sub
// binary mode. Attributes carry the context, the message data is the JSON payload, the ordering
// key is the job's resource name.

/** Every `ce-type` nasmon publishes. */
export const EVENT_TYPES = {
  stateChanged: 'nasmon.nasjob.v1.stateChanged',
  deleted: 'nasmon.nasjob.v1.deleted',
  trialChanged: 'nasmon.nasjob.v1.trialChanged',
  bestImproved: 'nasmon.nasjob.v1.bestImproved',
  enforcement: 'nasmon.nasjob.v1.enforcement',
  request: 'nasmon.nasjob.v1.request',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/** A message ready for Pub/Sub; `id` is stable, so a re-publish is recognisable as the same event. */
export interface OutboundEvent {
  readonly id: string;
  readonly type: EventType;
  readonly jobName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** The job's resource name: a subscriber with ordering sees one job's events in order. */
  readonly orderingKey: string;
}

/** What every job event carries in its attributes. */
export interface EventContext {
  readonly id: string;
  readonly type: EventType;
  readonly job: Pick<NasJob, 'name'>;
  readonly time: string;
  readonly state: string;
  readonly previousState?: string | null;
}

/** Builds the CloudEvents binary-mode message for one job event. */
export function buildEvent(context: EventContext, data: Record<string, unknown>): OutboundEvent {
  const name = context.job.name;
  const attributes: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': context.id,
    'ce-type': context.type,
    'ce-source': sourceOf(name),
    'ce-subject': subjectOf(name),
    'ce-time': context.time,
    'ce-nasjob': name,
    'ce-state': context.state,
    'content-type': 'application/json',
  };
  if (context.previousState) attributes['ce-previousstate'] = context.previousState;
  return {id: context.id, type: context.type, jobName: name, attributes, data, orderingKey: name};
}

/** `//aiplatform.googleapis.com/projects/{p}/locations/{l}`: the Vertex location the job lives in. */
export function sourceOf(jobName: string): string {
  const location = jobName.split('/nasJobs/')[0] ?? jobName;
  return `//aiplatform.googleapis.com/${location}`;
}

/** `nasJobs/{id}`: the job within its source. */
export function subjectOf(jobName: string): string {
  const id = jobName.split('/nasJobs/')[1];
  return id === undefined ? jobName : `nasJobs/${id}`;
}
