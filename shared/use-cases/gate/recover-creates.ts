import type {VertexNasClient} from '../../adapters/vertex/vertex-nas-client.js';
import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {AuditEntry, CreateIntent, GateStore} from '../../ports/gate-store.js';
import {publishBatches} from '../poll/publish-batches.js';
import {requestEventOf} from './audit-call.js';

/** What recovery works with: functions/wiring builds it for enforceTick, tests build their own. */
export interface RecoverCreatesDeps {
  readonly store: Pick<GateStore, 'staleIntents' | 'recoverAudit' | 'dropIntent' | 'completeRequest' | 'completeOutbox'>;
  readonly vertex: Pick<VertexNasClient, 'findCreatedJob'>;
  readonly publisher: EventPublisher;
  readonly log: Logger;
  readonly now: () => Date;
  /**
   * How old an intent must be before it counts as abandoned: longer than any create can still be
   * running (the gate's timeout, the Vertex client's retries), so a live create is never recorded
   * by recovery. Default 10 min, the time a team slot counts unsettled anyway.
   */
  readonly afterMs?: number;
  /** Intents recovered per run; default 50 (the rest wait for the next run). */
  readonly limit?: number;
}

/** What one run did, logged and returned for tests. */
export interface RecoveryReport {
  /** Entries written for creates Vertex has a job of. */
  readonly created: number;
  /** Entries written for creates Vertex has no job of. */
  readonly notCreated: number;
  /** Intents whose entry the gate had written after all, or that could not be read. */
  readonly dropped: number;
  readonly failed: number;
}

/**
 * Writes the audit entries of creates the gate sent to Vertex but never recorded (its instance
 * stopped between the create and the entry's write): each such create left its intent behind. The
 * job is looked up in Vertex by its request_id label; the entry says what became of the create
 * (`allowed` with the job, or `failed` with none), is marked `recoveredAt`, settles the create's team
 * slot, records the job's creator, and publishes the request event through the outbox, as the gate
 * would have. An entry is only ever created, never overwritten, so a gate that recorded the create
 * after all, or a second recovery at the same time, leaves one entry.
 */
export async function recoverGateCreates(deps: RecoverCreatesDeps): Promise<RecoveryReport> {
  const {afterMs = 10 * 60_000, limit = 50} = deps;
  const now = deps.now();
  const intents = await deps.store.staleIntents(new Date(now.getTime() - afterMs), limit);
  const counts = {created: 0, notCreated: 0, dropped: 0, failed: 0};
  for (const intent of intents) {
    if (!('requestKey' in intent)) {
      deps.log.error('dropped an unreadable create intent; its create may have no audit entry', {intentId: intent.id, problem: intent.problem, stored: intent.data});
      await deps.store.dropIntent(intent.id);
      counts.dropped += 1;
      continue;
    }
    try {
      counts[await recoverOne(deps, intent, now)] += 1;
    } catch (error) {
      counts.failed += 1;
      deps.log.error('could not recover a create the gate did not record; the next run tries again', {intentId: intent.id, error: error as Error});
    }
  }
  if (intents.length > 0) deps.log.info('recovered gate creates', counts);
  return counts;
}

async function recoverOne(deps: RecoverCreatesDeps, intent: CreateIntent, now: Date): Promise<'created' | 'notCreated' | 'dropped'> {
  const job = await deps.vertex.findCreatedJob(intent.parent, intent.requestKey);
  if (job && intent.requestId !== undefined) {
    // A retry of the caller's requestId then gets the job at once, instead of after the claim expires.
    await deps.store.completeRequest(intent.requestKey, job, intent.caller);
  }
  const entry: AuditEntry = {
    id: intent.id, time: intent.time, caller: intent.caller, action: 'create', target: intent.parent,
    project: intent.project, location: intent.location, verdict: job ? 'allowed' : 'failed',
    violations: intent.violations, warnings: intent.warnings, mutations: intent.mutations,
    ...(job ? {resultingJob: job.name} : {error: 'the gate stopped before the create finished, and Vertex has no job with its request_id'}),
    ...(intent.requestId === undefined ? {} : {requestId: intent.requestId}),
    recoveredAt: now.toISOString(),
  };
  const event = requestEventOf(entry, intent.parent);
  const slot = intent.slotTeam === undefined ? undefined : {team: intent.slotTeam, key: intent.requestKey, ...(job ? {jobName: job.name} : {})};
  const written = await deps.store.recoverAudit(entry, event, intent.outboxTarget, slot);
  // Undefined: the gate wrote the entry after all (its write landed late), or another run recovered it.
  if (!written) return 'dropped';
  await publishBatches(deps, [{id: written.batchId, events: [event]}]);
  return job ? 'created' : 'notCreated';
}
