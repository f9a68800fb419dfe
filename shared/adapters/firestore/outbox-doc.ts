// The `nasmonOutbox/{batchId}` document: events committed with a job observation, kept until published.
import {FieldValue, Timestamp, type DocumentData, type Firestore, type QueryDocumentSnapshot} from '@google-cloud/firestore';
import {EVENT_TYPES, type EventType, type OutboundEvent} from '../../core/events/nasjob-event.js';
import type {OutboxBatch} from '../../ports/poll-store.js';
import {COLLECTIONS, docIdOf} from './collections.js';
import {storedChecks, type StoredChecks} from './stored-data.js';

/**
 * Events of one document stay well under Firestore's 1 MiB document limit. A first sighting of a
 * search with thousands of trials yields one trialChanged event per trial, so one observation may
 * need several documents.
 */
export const MAX_OUTBOX_DOC_BYTES = 700_000;

/** One outbox document to write. */
export interface OutboxDoc {
  readonly batch: OutboxBatch;
  readonly data: DocumentData;
  readonly bytes: number;
}

// The events are kept as one JSON string, `eventsJson`, not as maps: event payloads nest the whole
// NasJob (Firestore caps map depth), and a poll cycle writes one document per change, whose ten-odd
// attributes per event cost Firestore's client far more CPU to validate and encode as map values
// than as part of one string. Documents of earlier versions hold `events`, an array of maps with
// `data` as JSON text; they are still read.

/**
 * How long a writer that publishes its own outbox documents right after the commit (enforce, the
 * gate) keeps the poller off them: without it, a poll cycle reading the outbox between that commit
 * and the writer's delete publishes the same events a second time. Past it, a writer that crashed
 * has its events published by the next poll cycle.
 *
 * The writers' wiring sets it to the poll interval (NASMON_POLL_INTERVAL_SECONDS): a writer's publish
 * and its deferred delete take a second or two, ample within a production interval (10 s), and the
 * events of a dead writer (or of one whose publish failed) go out within two poll cycles. A writer
 * slower than this gets its events published twice, with the same ce-id, which at-least-once
 * delivery allows anyway. The constant is the default, equal to the default poll interval.
 */
export const OWN_PUBLISH_CLAIM_MS = 10_000;

/**
 * Splits the events of one observation into outbox documents, in order. `seq` numbers them within
 * the transaction: every document of a commit shares its `createdAt`, and `seq` keeps their order.
 * `publishAfter` marks documents the writer publishes itself (see OWN_PUBLISH_CLAIM_MS).
 */
export function toOutboxDocs(events: readonly OutboundEvent[], targetKey: string, firstSeq: number, publishAfter?: Date): OutboxDoc[] {
  const docs: OutboxDoc[] = [];
  let part: {events: OutboundEvent[]; texts: string[]; bytes: number} | undefined;
  const flush = () => {
    if (!part) return;
    const id = docIdOf(part.events[0]!.id); // an event id names one transition, so the batch id is stable
    const data = {
      targetKey, createdAt: FieldValue.serverTimestamp(), seq: firstSeq + docs.length, eventsJson: `[${part.texts.join(',')}]`,
      ...(publishAfter ? {publishAfter: Timestamp.fromDate(publishAfter)} : {}),
    };
    docs.push({batch: {id, events: part.events}, data, bytes: part.bytes});
    part = undefined;
  };
  for (const event of events) {
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text) + 1;
    if (part && part.bytes + bytes > MAX_OUTBOX_DOC_BYTES) flush();
    part ??= {events: [], texts: [], bytes: 200};
    part.events.push(event);
    part.texts.push(text);
    part.bytes += bytes;
  }
  flush();
  return docs;
}

const TYPES = new Set<string>(Object.values(EVENT_TYPES));

/** True while the document's writer is still expected to publish it itself. */
export function claimedByWriter(snapshot: QueryDocumentSnapshot, now: Date): boolean {
  const after: unknown = snapshot.get('publishAfter');
  return after instanceof Timestamp && after.toMillis() > now.getTime();
}

/** Reads an outbox document back; throws StoredDataError naming the bad field. */
export function readOutboxBatch(snapshot: QueryDocumentSnapshot): OutboxBatch {
  const c = storedChecks(snapshot.ref.path);
  const text: unknown = snapshot.get('eventsJson');
  const [field, raw] = text === undefined ? ['events', snapshot.get('events') as unknown] : ['eventsJson', c.json(text, 'eventsJson')];
  if (!Array.isArray(raw) || raw.length === 0) c.fail(field, 'a non-empty array', raw);
  const events = (raw as unknown[]).map((value, index) => readEvent(c, value, `${field}[${index}]`, field === 'events'));
  return {id: snapshot.id, events};
}

// In `events` (earlier versions), `data` is a JSON string of its own.
function readEvent(c: StoredChecks, value: unknown, field: string, dataAsText: boolean): OutboundEvent {
  const event = c.object(value, field);
  const type = c.string(event.type, `${field}.type`);
  if (!TYPES.has(type)) c.fail(`${field}.type`, 'a nasmon event type', type);
  const data = dataAsText ? c.json(event.data, `${field}.data`) : event.data;
  return {
    id: c.string(event.id, `${field}.id`),
    type: type as EventType,
    jobName: c.string(event.jobName, `${field}.jobName`),
    attributes: c.stringMap(event.attributes, `${field}.attributes`),
    data: c.object(data, `${field}.data`),
    orderingKey: c.string(event.orderingKey, `${field}.orderingKey`),
  };
}

/** Deletes published outbox documents, in batches within Firestore's 500-write limit. */
export async function deleteOutboxDocs(firestore: Firestore, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    const batch = firestore.batch();
    for (const id of ids.slice(start, start + 500)) batch.delete(firestore.collection(COLLECTIONS.outbox).doc(id));
    await batch.commit();
  }
}
