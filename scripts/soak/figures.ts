// The soak's figures that come from its own records: what the simulator's true history says
// happened (jobs, transitions, the lifecycles exercised), what the subscriber received, what the
// callers got from the gate, and what enforce did.
import type {GateAction, GateCall} from './callers.js';
import type {ReceivedEvent} from '../../test/truth/truth-records.js';
import type {HistoryJob} from './latency.js';

/** Jobs and transitions according to the simulator. */
export function truthFigures(history: readonly HistoryJob[]) {
  const finalStates: Record<string, number> = {};
  let jobTransitions = 0;
  let trialTransitions = 0;
  const lifecycles = {succeeded: 0, failed: 0, pendingToFailed: 0, cancelled: 0, deleted: 0, trialFailures: 0, jobsWithTrialFailures: 0};
  for (const job of history) {
    const states = job.states.map(entry => entry.state.replace('JOB_STATE_', ''));
    const last = states.at(-1) ?? '?';
    finalStates[last] = (finalStates[last] ?? 0) + 1;
    jobTransitions += job.states.length + (job.deleteTime ? 1 : 0);
    trialTransitions += job.trials.reduce((sum, trial) => sum + trial.states.length, 0);
    if (last === 'SUCCEEDED') lifecycles.succeeded += 1;
    if (last === 'FAILED') lifecycles.failed += 1;
    if (last === 'FAILED' && !states.includes('RUNNING')) lifecycles.pendingToFailed += 1;
    if (last === 'CANCELLED') lifecycles.cancelled += 1;
    if (job.deleted) lifecycles.deleted += 1;
    const infeasible = job.trials.filter(trial => trial.states.some(entry => entry.state.endsWith('INFEASIBLE'))).length;
    lifecycles.trialFailures += infeasible;
    if (infeasible > 0) lifecycles.jobsWithTrialFailures += 1;
  }
  return {jobs: history.length, jobTransitions, trialTransitions, finalStates, lifecycles};
}

/**
 * Deliveries on the soak's subscription. A second delivery of an event id is a redelivery when it
 * is the same Pub/Sub message (the subscriber's ack was late or lost), and a second publish when
 * it is a new message (a writer's event sent again by a poll cycle, a retried publish).
 */
export function eventFigures(events: readonly ReceivedEvent[]) {
  const messagesOf = new Map<string, Set<string | undefined>>();
  const byType: Record<string, number> = {};
  const enforcement: Record<string, number> = {};
  const duplicates = {total: 0, redelivered: 0, publishedAgain: 0, byType: {} as Record<string, number>};
  for (const event of events) {
    const type = event.type.replace('nasmon.nasjob.v1.', '');
    const messages = messagesOf.get(event.id);
    if (messages) {
      duplicates.total += 1;
      duplicates[messages.has(event.messageId) ? 'redelivered' : 'publishedAgain'] += 1;
      duplicates.byType[type] = (duplicates.byType[type] ?? 0) + 1;
      messages.add(event.messageId);
      continue;
    }
    messagesOf.set(event.id, new Set([event.messageId]));
    byType[type] = (byType[type] ?? 0) + 1;
    if (type === 'enforcement') {
      const action = `${String(event.data.action)}${event.data.dryRun ? ' (dry run)' : ''}`;
      enforcement[action] = (enforcement[action] ?? 0) + 1;
    }
  }
  return {deliveries: events.length, distinct: messagesOf.size, duplicates, byType, enforcement};
}

/** One gate action's calls. */
export interface ApiFigures {
  readonly calls: number;
  readonly byStatus: Record<string, number>;
  readonly retried: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** The callers' calls by action. */
export function apiFigures(calls: readonly GateCall[]): Partial<Record<GateAction, ApiFigures>> {
  const out: Partial<Record<GateAction, ApiFigures>> = {};
  for (const action of ['create', 'cancel', 'delete', 'get', 'forbidden-create'] as const) {
    const mine = calls.filter(call => call.action === action);
    if (mine.length === 0) continue;
    const byStatus: Record<string, number> = {};
    for (const call of mine) {
      const key = call.reason ? `${call.status} ${call.reason}` : String(call.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    const ms = mine.map(call => call.ms).sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
    out[action] = {calls: mine.length, byStatus, retried: mine.filter(call => call.attempts > 1).length, p50Ms: at(0.5), p95Ms: at(0.95)};
  }
  return out;
}
