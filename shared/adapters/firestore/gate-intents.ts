// The gate's create intents: written beside a create's call to Vertex, deleted by its audit entry's
// write, so one still here long after was a create the gate never recorded (recoverGateCreates).
import {Timestamp, type DocumentData, type DocumentReference, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import type {CreateIntent, UnreadableIntent} from '../../ports/gate-store.js';
import {COLLECTIONS} from './collections.js';
import {plainJson} from './job-doc.js';
import {storedChecks, StoredDataError} from './stored-data.js';

/** An intent's document and data (its `time` also as the Timestamp the recovery query orders by). */
export function intentDoc(firestore: Firestore, intent: CreateIntent): [DocumentReference, DocumentData] {
  return [firestore.collection(COLLECTIONS.intents).doc(intent.id), {...plainJson(intent), at: Timestamp.fromDate(new Date(intent.time))}];
}

/** Intents older than `before`, oldest first; one that does not read back as written comes back unreadable. */
export async function readStaleIntents(firestore: Firestore, before: Date, limit: number): Promise<Array<CreateIntent | UnreadableIntent>> {
  const snapshot = await firestore.collection(COLLECTIONS.intents)
    .where('at', '<', Timestamp.fromDate(before)).orderBy('at').limit(limit).get();
  return snapshot.docs.map(doc => {
    try {
      return parseIntent(doc);
    } catch (error) {
      if (!(error instanceof StoredDataError)) throw error;
      return {id: doc.id, problem: error.message, data: plainJson(doc.data() ?? {})};
    }
  });
}

function parseIntent(doc: DocumentSnapshot): CreateIntent {
  const c = storedChecks(doc.ref.path);
  const data = c.object(doc.data(), '(document)');
  const list = (field: string): unknown[] => (Array.isArray(data[field]) ? (data[field] as unknown[]) : c.fail(field, 'an array', data[field]));
  const warnings = list('warnings').map((warning, index) => c.string(warning, `warnings.${index}`));
  const slotTeam = c.optional(data.slotTeam, 'slotTeam', c.string);
  const outbox = c.object(data.outboxTarget, 'outboxTarget');
  const requestId = c.optional(data.requestId, 'requestId', c.string);
  return {
    id: doc.id,
    time: c.string(data.time, 'time'),
    caller: c.string(data.caller, 'caller'),
    project: c.string(data.project, 'project'),
    location: c.string(data.location, 'location'),
    parent: c.string(data.parent, 'parent'),
    requestKey: c.string(data.requestKey, 'requestKey'),
    ...(requestId === undefined ? {} : {requestId}),
    violations: list('violations'),
    warnings,
    mutations: list('mutations'),
    ...(slotTeam === undefined ? {} : {slotTeam}),
    outboxTarget: {project: c.string(outbox.project, 'outboxTarget.project'), location: c.string(outbox.location, 'outboxTarget.location')},
  };
}

/** Deletes an intent (nothing happens if it is gone already). */
export async function deleteIntent(firestore: Firestore, id: string): Promise<void> {
  await firestore.collection(COLLECTIONS.intents).doc(id).delete();
}
