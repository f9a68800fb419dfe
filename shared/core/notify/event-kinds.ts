import {EVENT_TYPES, type EventType} from '../events/nasjob-event.js';

// The event kinds a notification rule can name: the `ce-type` of nasmon's events without the
// `nasmon.nasjob.v1.` prefix, so a policy file reads `events: [stateChanged, bestImproved]`.

/** Every kind of event nasmon publishes, by its short name. */
export const NOTIFY_EVENT_KINDS = ['stateChanged', 'deleted', 'trialChanged', 'bestImproved', 'enforcement', 'request'] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

const KIND_BY_TYPE: ReadonlyMap<string, NotifyEventKind> = new Map(
  NOTIFY_EVENT_KINDS.map(kind => [EVENT_TYPES[kind] as EventType, kind]),
);

/** The short kind of a `ce-type`, or undefined for a type this nasmon does not publish. */
export function kindOfEventType(type: string): NotifyEventKind | undefined {
  return KIND_BY_TYPE.get(type);
}

/** The verdicts a `request` event carries in `ce-state` (the gate's audit trail). */
export const REQUEST_VERDICTS = ['allowed', 'denied', 'validated', 'failed'] as const;
