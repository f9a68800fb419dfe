import {EVENT_TYPES} from '../events/nasjob-event.js';
import type {HistoryEntry} from '../poll/apply-observation.js';
import type {DeliveryRecord, EnforceAuditRecord, GateAuditRecord, JobFile} from './dashboard-inputs.js';
import {shortState} from './job-row.js';

// What nasmon decided and said about one job: the gate's decisions, enforce's actions, the events
// it published and the notifications it sent, each newest first.

/** A gate decision, for the table of decisions. */
export type DecisionView = Omit<GateAuditRecord, 'source' | 'target' | 'project' | 'location'>;

/** An enforcement action or a cancel call to Vertex. */
export type EnforcementView = Omit<EnforceAuditRecord, 'source' | 'eventId'>;

/** An event published about the job. */
export interface EventView {
  readonly id: string;
  /** The `ce-type` without its `nasmon.nasjob.v1.` prefix. */
  readonly type: string;
  readonly time: string;
  readonly summary: string;
}

/** The four lists of the job's activity. */
export interface Activity {
  readonly decisions: readonly DecisionView[];
  readonly enforcement: readonly EnforcementView[];
  readonly events: readonly EventView[];
  readonly notifications: readonly DeliveryRecord[];
}

/** The job's activity from its stored history, audit trail and delivery records. */
export function buildActivity(file: JobFile): Activity {
  const gate = file.audit.filter((entry): entry is GateAuditRecord => entry.source === 'gate');
  const enforce = file.audit.filter((entry): entry is EnforceAuditRecord => entry.source === 'enforce');
  const events = [
    ...file.history.map(historyEvent),
    ...gate.map(requestEvent),
    ...enforce.flatMap(entry => (entry.eventId ? [enforcementEvent(entry, entry.eventId)] : [])),
  ];
  return {
    decisions: newestFirst(gate.map(({source: _s, target: _t, project: _p, location: _l, ...view}) => view)),
    enforcement: newestFirst(enforce.map(({source: _s, eventId: _e, ...view}) => view)),
    events: newestFirst(events),
    notifications: newestFirst(file.deliveries),
  };
}

function historyEvent(entry: HistoryEntry): EventView {
  const state = shortState(entry.state);
  if (state === 'DELETED') return {id: entry.eventId, type: short(EVENT_TYPES.deleted), time: entry.observedTime, summary: 'deleted from Vertex'};
  const from = entry.previousState === null ? 'first seen' : `${shortState(entry.previousState)} →`;
  return {id: entry.eventId, type: short(EVENT_TYPES.stateChanged), time: entry.observedTime, summary: `${from} ${state}${entry.skipped ? ' (states in between not observed)' : ''}`};
}

// The gate names a request event `{parent}/requests/{audit id}` (use-cases/gate/audit-call.ts);
// the audit entry keeps no id of its own for it, so it is named the same way here.
function requestEvent(entry: GateAuditRecord): EventView {
  return {
    id: `projects/${entry.project}/locations/${entry.location}/requests/${entry.id}`, type: short(EVENT_TYPES.request), time: entry.time,
    summary: `${entry.action} by ${entry.caller}: ${entry.verdict}`,
  };
}

function enforcementEvent(entry: EnforceAuditRecord, id: string): EventView {
  const what = [entry.action ?? entry.key, entry.rule && `(${entry.rule})`, entry.dryRun ? 'dry run' : undefined].filter(Boolean).join(' ');
  return {id, type: short(EVENT_TYPES.enforcement), time: entry.time, summary: what};
}

function short(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

function newestFirst<T extends {readonly time: string}>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.time < b.time ? 1 : -1));
}
