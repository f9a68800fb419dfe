import type {Target} from '../../config.js';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from '../../core/events/nasjob-event.js';
import type {GateRequest} from '../../core/gate/gate-request.js';
import {isGateError} from '../../core/gate/gate-error.js';
import type {Verdict} from '../../core/policy/verdict.js';
import type {AuditEntry, SlotSettlement} from '../../ports/gate-store.js';
import type {GateDeps} from './gate-deps.js';
import {publishBatches} from '../poll/publish-batches.js';

/** What a use case learned that the audit entry should carry. */
export interface AuditNotes {
  verdict?: Verdict;
  resultingJob?: string;
  validateOnly?: boolean;
  /** The team slot a create reserved, settled in the audit's own write. */
  teamSlot?: SlotSettlement;
  /** The entry's id, when a create's intent needed it before the entry was written. */
  auditId?: string;
  /** A create's intent was written, or tried (it may have landed): either way the entry's write deletes it. */
  intent?: 'written' | 'tried';
}

/**
 * Records one decision: the audit document and its `request` event, written together (through the
 * outbox, so an unpublished event is retried by the poller of the target). Never waits for Pub/Sub:
 * the publish runs on after the write. Whether the caller's answer waits for the write is
 * handleGateCall's choice (not for a successful create, whose intent stands for it).
 */
export async function auditCall(deps: GateDeps, call: {caller: string; request: GateRequest; startedMs: number}, notes: AuditNotes, outcome: {status: number; error?: unknown}): Promise<void> {
  const {request} = call;
  const target = 'name' in request ? request.name : request.parent;
  const verdictName: AuditEntry['verdict'] = outcome.status < 300 ? (notes.validateOnly ? 'validated' : 'allowed')
    : outcome.status === 403 || (notes.verdict && !notes.verdict.allowed) ? 'denied' : 'failed';
  const entry: AuditEntry = {
    id: notes.auditId ?? deps.newId(), time: deps.now().toISOString(), caller: call.caller, action: request.action, target,
    project: request.project, location: request.location, verdict: verdictName, httpStatus: outcome.status,
    violations: notes.verdict?.violations ?? [], warnings: notes.verdict?.warnings ?? [], mutations: notes.verdict?.mutations ?? [],
    latencyMs: deps.now().getTime() - call.startedMs,
    ...(notes.resultingJob ? {resultingJob: notes.resultingJob} : {}),
    ...(request.action === 'create' && request.requestId ? {requestId: request.requestId} : {}),
    ...(outcome.error ? {error: isGateError(outcome.error) ? outcome.error.message : 'internal error'} : {}),
  };
  const event = requestEventOf(entry, request.parent);
  let batchId: string;
  try {
    ({batchId} = await deps.store.recordAudit(entry, event, outboxTarget(deps, request.project, request.location), notes.teamSlot,
      notes.intent ? entry.id : undefined));
  } catch (error) {
    // The decision stands; losing its record is bad but must not turn a success into a failure (an
    // unsettled team slot counts as one more active job until it expires: the safe side).
    deps.log.error('could not record an audit entry', {auditId: entry.id, action: entry.action, error: error as Error});
    return;
  }
  // Once committed, the event is safe in the outbox: if this publish never happens (the instance is
  // stopped or starved of CPU after answering), the poller's next cycle on the target publishes it.
  publishBatches(deps, [{id: batchId, events: [event]}]).catch((error: unknown) =>
    deps.log.warn('could not publish a request event; the outbox keeps it', {auditId: entry.id, error: error as Error}));
}

/** The `request` event of an audit entry (`parent`: the location the request was about). */
export function requestEventOf(entry: AuditEntry, parent: string): OutboundEvent {
  const {target, verdict} = entry;
  return buildEvent(
    {id: `${parent}/requests/${entry.id}`, type: EVENT_TYPES.request, job: {name: entry.resultingJob ?? target}, time: entry.time, state: verdict},
    {caller: entry.caller, action: entry.action, target, verdict, ...(entry.httpStatus === undefined ? {} : {httpStatus: entry.httpStatus}),
      violations: entry.violations, warnings: entry.warnings, mutations: entry.mutations,
      ...(entry.resultingJob ? {resultingJob: entry.resultingJob} : {}), ...(entry.requestId ? {requestId: entry.requestId} : {}),
      ...(entry.recoveredAt ? {recoveredAt: entry.recoveredAt} : {})},
  );
}

// Only a poller reads the outbox, each its own target's: the event of a request on a target none of
// them watches (a region the policy forbids, a project named by its number) would wait there forever.
export function outboxTarget(deps: Pick<GateDeps, 'watchedTargets'>, project: string, location: string): Target {
  const watched = deps.watchedTargets ?? [];
  return watched.find(t => t.project === project && t.location === location) ?? watched[0] ?? {project, location};
}
