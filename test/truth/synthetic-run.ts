// A small made-up run whose three records agree, for the checker's unit tests: each test breaks one
// thing and expects exactly that to be reported. Built the way nasmon and the simulator write their
// records (ids, sequences, skipped flags, audit entries), so a clean run must pass.
import type {AuditRecord, ReceivedEvent, RecordedTransition, TrueJob, TruthRecords} from './truth-records.js';

const T0 = Date.parse('2026-11-27T10:00:00Z');
/** The simulator's RFC 3339 with microseconds, `seconds` after the run's start. */
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('Z', '000Z');
const PARENT = 'projects/123456789012/locations/us-central1';
export const JOBS = {
  /** PENDING → RUNNING → SUCCEEDED, every state seen. */
  smooth: `${PARENT}/nasJobs/1000000000000000001`,
  /** PENDING → RUNNING for 10 s → FAILED, RUNNING never seen (so `skipped: true`). */
  blink: `${PARENT}/nasJobs/1000000000000000002`,
  /** Runs too long: enforce cancels it once, CANCELLED confirmed; created through the gate. */
  cancelled: `${PARENT}/nasJobs/1000000000000000003`,
  /** Fails for lack of capacity, then is deleted. */
  deleted: `${PARENT}/nasJobs/1000000000000000004`,
} as const;

type Step = readonly [state: string, seconds: number];

const TIMELINES: Record<string, readonly Step[]> = {
  [JOBS.smooth]: [['JOB_STATE_PENDING', 0], ['JOB_STATE_RUNNING', 100], ['JOB_STATE_SUCCEEDED', 400]],
  [JOBS.blink]: [['JOB_STATE_PENDING', 0], ['JOB_STATE_RUNNING', 200], ['JOB_STATE_FAILED', 210]],
  [JOBS.cancelled]: [['JOB_STATE_PENDING', 0], ['JOB_STATE_RUNNING', 60], ['JOB_STATE_CANCELLING', 500], ['JOB_STATE_CANCELLED', 560]],
  [JOBS.deleted]: [['JOB_STATE_PENDING', 0], ['JOB_STATE_FAILED', 300]],
};

/** What nasmon recorded per job: state, when seen, skipped. */
const RECORDED: Record<string, ReadonlyArray<readonly [state: string, seconds: number, skipped: boolean]>> = {
  [JOBS.smooth]: [['JOB_STATE_PENDING', 5, false], ['JOB_STATE_RUNNING', 105, false], ['JOB_STATE_SUCCEEDED', 405, false]],
  [JOBS.blink]: [['JOB_STATE_PENDING', 5, false], ['JOB_STATE_FAILED', 215, true]],
  [JOBS.cancelled]: [['JOB_STATE_PENDING', 5, false], ['JOB_STATE_RUNNING', 65, false], ['JOB_STATE_CANCELLING', 505, false], ['JOB_STATE_CANCELLED', 565, false]],
  [JOBS.deleted]: [['JOB_STATE_PENDING', 5, false], ['JOB_STATE_FAILED', 305, false], ['DELETED', 605, false]],
};

export function stateEvent(entry: RecordedTransition, receivedSeconds: number): ReceivedEvent {
  const deleted = entry.state === 'DELETED';
  return {
    id: entry.eventId, type: deleted ? 'nasmon.nasjob.v1.deleted' : 'nasmon.nasjob.v1.stateChanged',
    attributes: {'ce-id': entry.eventId, 'ce-nasjob': entry.job, 'ce-state': deleted ? String(entry.previousState) : entry.state},
    data: deleted
      ? {sequence: entry.sequence, observedTime: entry.observedTime, lastState: entry.previousState}
      : {state: entry.state, previousState: entry.previousState, sequence: entry.sequence, skipped: entry.skipped, observedTime: entry.observedTime},
    receivedAtMs: T0 + receivedSeconds * 1000, orderingKey: entry.job,
  };
}

function history(): RecordedTransition[] {
  return Object.entries(RECORDED).flatMap(([job, entries]) => entries.map(([state, seconds, skipped], i) => {
    const sequence = i + 1;
    return {
      job, docId: String(sequence).padStart(6, '0'), sequence, state, previousState: entries[i - 1]?.[0] ?? null,
      observedTime: at(seconds), skipped, eventId: `${job}/${state === 'DELETED' ? 'deleted' : 'state'}/${sequence}`,
    };
  }));
}

function truthJobs(): TrueJob[] {
  return Object.entries(TIMELINES).map(([name, steps]) => ({
    name, deleted: name === JOBS.deleted, scenario: 'succeed',
    states: steps.map(([state, seconds]) => ({state, time: at(seconds)})),
    ...(name === JOBS.deleted ? {deleteTime: at(600)} : {}),
    cancelRequests: name === JOBS.cancelled ? [{time: at(500), effect: 'started' as const}] : [],
  }));
}

const GATE_AUDIT_ID = 'a6c1e0b2-0000-4000-8000-000000000001';
const enforceId = (key: string) => `enforce~${JOBS.cancelled.replaceAll('/', '~')}~${key.replaceAll('/', '~')}`;
const enforcementEventId = (key: string) => `${JOBS.cancelled}/enforcement/${key}`;

function audit(): AuditRecord[] {
  const enforce = (key: string, fields: Record<string, unknown>): AuditRecord => ({
    id: enforceId(key), fields: {source: 'enforce', caller: 'nasmon:enforce', target: JOBS.cancelled, key, rule: 'max-run-time', ...fields},
  });
  return [
    {id: GATE_AUDIT_ID, fields: {caller: 'dave@example.com', action: 'create', target: PARENT, verdict: 'allowed', resultingJob: JOBS.cancelled}},
    enforce('cancel', {action: 'cancel', dryRun: false, eventId: enforcementEventId('cancel')}),
    enforce('cancel-attempt/1', {action: 'cancel-attempt', attempt: 1, outcome: 'sent'}),
    enforce('cancel-confirmed', {action: 'cancel-confirmed', dryRun: false, eventId: enforcementEventId('cancel-confirmed')}),
  ];
}

function otherEvents(): ReceivedEvent[] {
  const event = (id: string, type: string, job: string, data: Record<string, unknown>, seconds: number): ReceivedEvent => ({
    id, type, attributes: {'ce-id': id, 'ce-type': type, 'ce-nasjob': job}, data, receivedAtMs: T0 + seconds * 1000, orderingKey: job,
  });
  return [
    event(`${PARENT}/requests/${GATE_AUDIT_ID}`, 'nasmon.nasjob.v1.request', JOBS.cancelled, {caller: 'dave@example.com', action: 'create', verdict: 'allowed'}, 1),
    event(enforcementEventId('cancel'), 'nasmon.nasjob.v1.enforcement', JOBS.cancelled, {action: 'cancel'}, 501),
    event(enforcementEventId('cancel-confirmed'), 'nasmon.nasjob.v1.enforcement', JOBS.cancelled, {action: 'cancel-confirmed'}, 566),
    event(`${JOBS.smooth}/trial/search/1/SUCCEEDED`, 'nasmon.nasjob.v1.trialChanged', JOBS.smooth, {stage: 'search'}, 300),
  ];
}

/** A whole run on which every check passes (with `visibleAfterMs` 30 s: the blink's 10 s RUNNING may be missed). */
export function cleanRun(): TruthRecords {
  const recorded = history();
  const stateEvents = recorded.map(entry => stateEvent(entry, Date.parse(entry.observedTime) / 1000 - T0 / 1000 + 1));
  const events = [...stateEvents, ...otherEvents()].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
  return {
    truth: {now: at(1000), jobs: truthJobs()},
    history: recorded, audit: audit(), events,
    enforcement: [{job: JOBS.cancelled, done: ['cancel', 'cancel-confirmed'], cancelAttempts: 1}],
  };
}

/** Deeply writable, so a test can break a record in place. */
export type Writable<T> = T extends readonly (infer U)[] ? Array<Writable<U>> : T extends object ? {-readonly [K in keyof T]: Writable<T[K]>} : T;

/** A deep copy of {@link cleanRun} whose parts a test may change freely. */
export function mutableRun(): Writable<TruthRecords> {
  return structuredClone(cleanRun()) as Writable<TruthRecords>;
}
