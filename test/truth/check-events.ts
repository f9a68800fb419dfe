// The received events against the records they announce. A state or deleted event stands for one
// history entry (same job, sequence, state and id); a request event for one gate audit entry (its id
// ends in the entry's id); an enforcement event for one enforcement audit entry (the entry names the
// event id). Each record must have had its event, each event its record, one id per transition, one
// content per id, and one job's events must arrive in sequence order (the subscription is ordered by
// job). Redeliveries of identical content are fine: delivery is at least once.
import {EVENT_TYPES} from '../../shared/core/events/nasjob-event.js';
import type {Findings} from './ground-truth-report.js';
import {isEnforceAudit, jobOfEvent, STATE_EVENT_TYPES, type AuditRecord, type ReceivedEvent, type RecordedTransition} from './truth-records.js';

/** Checks every delivery; returns how many distinct event ids arrived. */
export function checkEvents(
  events: readonly ReceivedEvent[], history: readonly RecordedTransition[], audit: readonly AuditRecord[], findings: Findings,
): number {
  const first = firstDeliveries(events, findings);
  checkStateEvents([...first.values()].filter(e => STATE_EVENT_TYPES.has(e.type)), history, findings);
  checkRequestEvents([...first.values()].filter(e => e.type === EVENT_TYPES.request), audit.filter(a => !isEnforceAudit(a)), findings);
  checkEnforcementEvents(first, audit.filter(isEnforceAudit), findings);
  return first.size;
}

// The first delivery of each id, in arrival order; a later one must carry the same content.
function firstDeliveries(events: readonly ReceivedEvent[], findings: Findings): Map<string, ReceivedEvent> {
  const first = new Map<string, ReceivedEvent>();
  for (const event of events) {
    const earlier = first.get(event.id);
    if (!earlier) {
      first.set(event.id, event);
      continue;
    }
    const differs = differences(earlier, event);
    if (differs.length > 0) findings.add('duplicate', jobOfEvent(event), `event ${event.id} delivered again with different content (${differs.join(', ')})`);
  }
  return first;
}

function differences(a: ReceivedEvent, b: ReceivedEvent): string[] {
  const out = a.type === b.type ? [] : ['type'];
  for (const [part, x, y] of [['attributes', a.attributes, b.attributes], ['data', a.data, b.data]] as const) {
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (canonical(x[key]) !== canonical(y[key])) out.push(`${part}.${key}`);
    }
  }
  return out;
}

/** JSON with object keys sorted, so equal content compares equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const stateOf = (event: ReceivedEvent) => (event.type === EVENT_TYPES.deleted ? 'DELETED' : String(event.data.state));
const short = (type: string) => type.slice(type.lastIndexOf('.') + 1);

function checkStateEvents(events: readonly ReceivedEvent[], history: readonly RecordedTransition[], findings: Findings): void {
  const stored = new Map<string, RecordedTransition>();
  for (const entry of history) stored.set(`${entry.job}#${entry.sequence}`, entry);
  const idsPerTransition = new Map<string, string[]>();
  const lastSequence = new Map<string, number>();
  for (const event of events) {
    const job = jobOfEvent(event);
    const sequence = Number(event.data.sequence);
    const key = `${job}#${sequence}`;
    idsPerTransition.set(key, [...(idsPerTransition.get(key) ?? []), event.id]);
    const last = lastSequence.get(job);
    if (last !== undefined && sequence < last) findings.add('orderViolation', job, `${short(event.type)} sequence ${sequence} arrived after sequence ${last}`);
    lastSequence.set(job, Math.max(last ?? sequence, sequence));
    const what = `${short(event.type)} sequence ${sequence} ${stateOf(event)} (${event.id})`;
    const entry = stored.get(key);
    if (!entry) {
      findings.add('eventWithoutRecord', job, `${what} has no history entry`);
      continue;
    }
    const mismatches = [
      entry.state !== stateOf(event) && `state ${entry.state} in history`,
      entry.eventId !== event.id && `history names event ${entry.eventId}`,
      event.type === EVENT_TYPES.stateChanged && (event.data.previousState ?? null) !== entry.previousState && `previousState ${entry.previousState} in history, ${String(event.data.previousState)} in the event`,
      event.type === EVENT_TYPES.stateChanged && event.data.skipped !== entry.skipped && `skipped ${entry.skipped} in history, ${String(event.data.skipped)} in the event`,
    ].filter(Boolean);
    if (mismatches.length > 0) findings.add('eventWithoutRecord', job, `${what} does not match its history entry: ${mismatches.join('; ')}`);
  }
  for (const [key, ids] of idsPerTransition) {
    if (ids.length > 1) findings.add('duplicate', key.slice(0, key.lastIndexOf('#')), `${ids.length} event ids for sequence ${key.slice(key.lastIndexOf('#') + 1)}: ${ids.join(', ')}`);
  }
  const delivered = new Set(events.map(event => event.id));
  for (const entry of history) {
    if (!delivered.has(entry.eventId)) findings.add('recordWithoutEvent', entry.job, `${entry.state} (sequence ${entry.sequence}) was recorded, but its event ${entry.eventId} never arrived`);
  }
}

function checkRequestEvents(events: readonly ReceivedEvent[], gateAudit: readonly AuditRecord[], findings: Findings): void {
  const byId = new Map(gateAudit.map(entry => [entry.id, entry]));
  const announced = new Set<string>();
  for (const event of events) {
    const job = jobOfEvent(event) || '(gate)';
    const at = event.id.lastIndexOf('/requests/');
    const auditId = at < 0 ? '' : event.id.slice(at + '/requests/'.length);
    const entry = byId.get(auditId);
    if (!entry) {
      findings.add('eventWithoutRecord', job, `request event ${event.id} has no gate audit entry${auditId ? ` ${auditId}` : ''}`);
      continue;
    }
    announced.add(auditId);
    const mismatches = (['caller', 'action', 'verdict'] as const).filter(field => event.data[field] !== entry.fields[field]);
    if (mismatches.length > 0) {
      findings.add('eventWithoutRecord', job, `request event ${event.id} disagrees with its audit entry on ${mismatches.map(f => `${f} (${String(event.data[f])} vs ${String(entry.fields[f])})`).join(', ')}`);
    }
  }
  for (const entry of gateAudit) {
    if (announced.has(entry.id)) continue;
    const job = String(entry.fields.resultingJob ?? entry.fields.target ?? '(gate)');
    findings.add('recordWithoutEvent', job, `gate audit entry ${entry.id} (${String(entry.fields.action)} ${String(entry.fields.verdict)} by ${String(entry.fields.caller)}) has no request event`);
  }
}

// Enforcement audit entries name the event they announced (`eventId`); audit-mode actions and the
// records of calls to Vertex (`cancel-attempt/{n}`) announce none.
function checkEnforcementEvents(first: ReadonlyMap<string, ReceivedEvent>, enforceAudit: readonly AuditRecord[], findings: Findings): void {
  const byEventId = new Map<string, AuditRecord>();
  for (const entry of enforceAudit) if (typeof entry.fields.eventId === 'string') byEventId.set(entry.fields.eventId, entry);
  for (const event of first.values()) {
    if (event.type !== EVENT_TYPES.enforcement) continue;
    const entry = byEventId.get(event.id);
    if (!entry) {
      findings.add('eventWithoutRecord', jobOfEvent(event), `enforcement event ${event.id} (${String(event.data.action)}) has no audit entry`);
    } else if (event.data.action !== entry.fields.action) {
      findings.add('eventWithoutRecord', jobOfEvent(event), `enforcement event ${event.id} says ${String(event.data.action)}, its audit entry ${String(entry.fields.action)}`);
    }
  }
  for (const [eventId, entry] of byEventId) {
    if (!first.has(eventId)) findings.add('recordWithoutEvent', String(entry.fields.target ?? '(enforce)'), `enforcement audit entry ${entry.id} (${String(entry.fields.action)}) has no event ${eventId}`);
  }
}
