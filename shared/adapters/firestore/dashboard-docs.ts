// Reading the documents the dashboard shows, written by the poller, the gate, enforce and notify.
// The dashboard only reads, so it is lenient where the writers are strict: a field of the wrong type
// is left out of the view instead of failing the page (the writers' own readers report it).
import {Timestamp, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {AuditRecord, DashboardJob, DeliveryRecord} from '../../core/dashboard/index.js';
import type {HistoryEntry} from '../../core/poll/apply-observation.js';
import {parseNasJobName} from '../../core/vertex/index.js';
import {readJobRecord} from './job-doc.js';

/** A `nasJobs` document as a dashboard job; throws StoredDataError for a damaged record. */
export function readDashboardJob(snapshot: DocumentSnapshot): DashboardJob | undefined {
  const record = readJobRecord(snapshot);
  if (!record) return undefined;
  // The query fields are the configured target; a record written without them falls back to its name.
  const ref = parseNasJobName(record.name);
  const team = text(snapshot.get('team')) ?? record.job.labels.team;
  return {
    id: snapshot.id, record,
    project: text(snapshot.get('project')) ?? ref?.project ?? '', location: text(snapshot.get('location')) ?? ref?.location ?? '',
    ...(team === undefined ? {} : {team}),
  };
}

/** The create time a job document is ordered by (epoch ms), or -Infinity without one. */
export function createMsOf(snapshot: DocumentSnapshot): number {
  const value: unknown = snapshot.get('createTime');
  return value instanceof Timestamp ? value.toMillis() : -Infinity;
}

/** A history document, or undefined when it lacks what a timeline needs. */
export function readHistoryEntry(data: DocumentData): HistoryEntry | undefined {
  const [state, enteredTime, observedTime] = [text(data.state), text(data.enteredTime), text(data.observedTime)];
  if (state === undefined || enteredTime === undefined || typeof data.sequence !== 'number') return undefined;
  return {
    sequence: data.sequence, state, previousState: text(data.previousState) ?? null, enteredTime, observedTime: observedTime ?? enteredTime,
    dwellSeconds: typeof data.dwellSeconds === 'number' ? data.dwellSeconds : null, skipped: data.skipped === true, eventId: text(data.eventId) ?? '',
  };
}

/** An audit document of the gate or of enforce (`source: enforce`). */
export function readAuditRecord(id: string, data: DocumentData): AuditRecord | undefined {
  const time = text(data.time);
  if (time === undefined) return undefined;
  if (data.source === 'enforce') {
    return {
      source: 'enforce', id, time, key: text(data.key) ?? id, dryRun: data.dryRun === true,
      ...pick(data, ['action', 'rule', 'reason', 'eventId', 'outcome', 'message'], text),
      ...pick(data, ['ratio', 'limitSeconds'], num),
    };
  }
  return {
    source: 'gate', id, time, caller: text(data.caller) ?? '?', action: text(data.action) ?? '?', target: text(data.target) ?? '',
    project: text(data.project) ?? '', location: text(data.location) ?? '', verdict: text(data.verdict) ?? '?',
    violations: list(data.violations, v => joined(v.rule, v.message)),
    warnings: Array.isArray(data.warnings) ? data.warnings.filter((w): w is string => typeof w === 'string') : [],
    mutations: list(data.mutations, v => joined(v.rule, [text(v.op), text(v.path)].filter(Boolean).join(' '))),
    ...pick(data, ['httpStatus'], num), ...pick(data, ['error'], text),
  };
}

/** A delivery record, with the state of the group it went out in. */
export function readDeliveryRecord(data: DocumentData, group: DocumentSnapshot | undefined): DeliveryRecord | undefined {
  const [eventId, channel] = [text(data.eventId), text(data.channel)];
  if (eventId === undefined || channel === undefined) return undefined;
  const event = parseEvent(data.event);
  const createdAt: unknown = data.createdAt;
  const time = text(event.time) ?? (createdAt instanceof Timestamp ? createdAt.toDate().toISOString() : '');
  const detail = text(group?.get('detail'));
  return {eventId, channel, kind: text(event.kind) ?? '?', time, state: text(group?.get('state')) ?? 'unknown', ...(detail ? {detail} : {})};
}

function parseEvent(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function pick<T>(data: DocumentData, keys: readonly string[], read: (value: unknown) => T | undefined): Record<string, T> {
  return Object.fromEntries(keys.flatMap(key => {
    const value = read(data[key]);
    return value === undefined ? [] : [[key, value]];
  }));
}

// Violations and mutations are stored as objects; an item of another shape is skipped.
function list(value: unknown, describe: (item: Record<string, unknown>) => string | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap(item => {
    const line = typeof item === 'object' && item !== null ? describe(item as Record<string, unknown>) : undefined;
    return line ? [line] : [];
  });
}

function joined(rule: unknown, what: unknown): string | undefined {
  const parts = [text(rule), text(what)].filter(part => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}
