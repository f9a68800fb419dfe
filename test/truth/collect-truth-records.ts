// Reads the records of a real run for checkGroundTruth: the simulator's true history over HTTP, and
// nasmon's Firestore history, audit trail and enforcement state through the admin client. Events
// are not read here: a subscriber must have been listening during the run (see event-recorder.ts).
import {Timestamp, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import {COLLECTIONS} from '../../shared/adapters/firestore/collections.js';
import type {AuditRecord, EnforcementRecord, ReceivedEvent, RecordedTransition, SimulatorTruth, TruthRecords} from './truth-records.js';

/** Where to read from, and the events a test subscription received during the run. */
export interface CollectOptions {
  /** The simulator's base URL, e.g. `http://127.0.0.1:8089`. */
  readonly simulatorUrl: string;
  readonly firestore: Firestore;
  readonly events: readonly ReceivedEvent[];
}

/** The three records of a run, read now. Read the simulator last so its `now` covers every record. */
export async function collectTruthRecords({simulatorUrl, firestore, events}: CollectOptions): Promise<TruthRecords> {
  const [history, audit, enforcement] = await Promise.all([readHistory(firestore), readAudit(firestore), readEnforcement(firestore)]);
  const truth = await readSimulatorTruth(simulatorUrl);
  return {truth, history, audit, enforcement, events: [...events]};
}

/** GET /simulator/history. */
export async function readSimulatorTruth(simulatorUrl: string): Promise<SimulatorTruth> {
  const response = await fetch(`${simulatorUrl.replace(/\/$/, '')}/simulator/history`);
  if (!response.ok) throw new Error(`GET /simulator/history: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as Partial<SimulatorTruth>;
  if (typeof body.now !== 'string' || !Array.isArray(body.jobs)) throw new Error('GET /simulator/history: no "now" or "jobs" (a simulator older than the ground-truth checker?)');
  return {now: body.now, jobs: body.jobs};
}

// The job's name comes from the parent document's id, which the entry cannot contradict.
async function readHistory(firestore: Firestore): Promise<RecordedTransition[]> {
  const snapshot = await firestore.collectionGroup(COLLECTIONS.history).get();
  return snapshot.docs.filter(doc => doc.ref.parent.parent?.parent.id === COLLECTIONS.jobs).map(doc => {
    const d = doc.data();
    return {
      job: doc.ref.parent.parent!.id.replaceAll('~', '/'), docId: doc.id, sequence: Number(d.sequence), state: String(d.state),
      previousState: typeof d.previousState === 'string' ? d.previousState : null, observedTime: String(d.observedTime),
      skipped: d.skipped === true, eventId: String(d.eventId),
    };
  });
}

async function readAudit(firestore: Firestore): Promise<AuditRecord[]> {
  const snapshot = await firestore.collection(COLLECTIONS.audit).get();
  return snapshot.docs.map(doc => ({id: doc.id, fields: plain(doc.data()) as Record<string, unknown>}));
}

async function readEnforcement(firestore: Firestore): Promise<EnforcementRecord[]> {
  const snapshot = await firestore.collection(COLLECTIONS.enforcement).get();
  return snapshot.docs.map((doc: DocumentSnapshot) => {
    const done: unknown = doc.get('done');
    const jobName: unknown = doc.get('jobName');
    const attempts: unknown = doc.get('cancel.attempts');
    return {
      job: typeof jobName === 'string' ? jobName : doc.id.replaceAll('~', '/'),
      done: done && typeof done === 'object' ? Object.keys(done) : [],
      cancelAttempts: typeof attempts === 'number' ? attempts : 0,
    };
  });
}

/** Firestore values as plain JSON: Timestamps become RFC 3339 strings. */
function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
