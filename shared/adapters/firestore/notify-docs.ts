// Where notify keeps its state in Firestore, and how its documents look.
//
//   nasmonNotifyGroups/{job docId}@{channel}      one per (job, channel): {subject, channel, lastGen}.
//                                                 `lastGen` is a hint of the newest group; readers
//                                                 check the group after it, so a stale hint is harmless.
//   nasmonNotifyGroups/{…}/groups/{gen, 6 digits} one per group (core/notify/group-state.ts): {gen,
//                                                 state (open|sending|sent|rejected), holder, openedAtMs,
//                                                 flushAtMs, leaseUntilMs}; once ended also {detail,
//                                                 eventIds, eventCount, endedAt}.
//   nasmonNotifyDeliveries/{event docId}@{channel} one per (ce-id, channel), created with a
//                                                 precondition: {eventId, channel, subject, gen, group,
//                                                 event (the NotifyEvent as JSON), createdAt}.
//
// Every document has `expireAt` for a Firestore TTL policy (infra): a delivery record must outlive
// every redelivery of its event (Pub/Sub keeps messages up to 7 days by default), so 30 days.
import {createHash} from 'node:crypto';
import {Timestamp, type DocumentData, type DocumentSnapshot} from '@google-cloud/firestore';
import type {Group, GroupState} from '../../core/notify/group-state.js';
import type {NotifyEvent} from '../../core/notify/notify-event.js';
import type {GroupKey} from '../../use-cases/notify/notify-ports.js';
import {docIdOf} from './collections.js';
import {storedChecks} from './stored-data.js';

/** How long notify's documents are kept. */
export const NOTIFY_RETENTION_MS = 30 * 86_400_000;

// Firestore allows 1,500 bytes per id; a longer one (never seen: ids are resource paths) is hashed.
const MAX_READABLE_ID = 700;
const STATES: readonly GroupState[] = ['open', 'sending', 'sent', 'rejected'];

/** A readable document id for `path@channel`. */
export function notifyDocId(path: string, channel: string): string {
  const readable = `${docIdOf(path)}@${channel}`;
  if (Buffer.byteLength(readable) <= MAX_READABLE_ID) return readable;
  return `sha256-${createHash('sha256').update(`${path}\n${channel}`).digest('hex')}@${channel}`;
}

/** The id of a key's head document. */
export const headIdOf = (key: GroupKey) => notifyDocId(key.subject, key.channel);

/** The id of group `gen` of a key; zero-padded, so ids sort in order. */
export const groupIdOf = (gen: number) => String(gen).padStart(6, '0');

/** Reads a group document; undefined when it does not exist. */
export function readGroup(snapshot: DocumentSnapshot): Group | undefined {
  if (!snapshot.exists) return undefined;
  const c = storedChecks(snapshot.ref.path);
  const data = snapshot.data() ?? {};
  const state = c.string(data.state, 'state') as GroupState;
  if (!STATES.includes(state)) c.fail('state', STATES.join(' or '), state);
  return {
    gen: c.integer(data.gen, 'gen', 1), state, holder: c.string(data.holder, 'holder'), openedAtMs: c.number(data.openedAtMs, 'openedAtMs'),
    flushAtMs: c.number(data.flushAtMs, 'flushAtMs'), leaseUntilMs: c.number(data.leaseUntilMs, 'leaseUntilMs'),
  };
}

/** The fields of a group document that the protocol reads and writes. */
export function groupDoc(group: Group, nowMs: number): DocumentData {
  return {...group, expireAt: Timestamp.fromMillis(nowMs + NOTIFY_RETENTION_MS)};
}

/** The delivery record of `event` for the key's channel, in group `gen`. */
export function deliveryDoc(key: GroupKey, event: NotifyEvent, gen: number, nowMs: number): DocumentData {
  return {
    eventId: event.id, channel: key.channel, subject: key.subject, gen, group: `${headIdOf(key)}#${groupIdOf(gen)}`,
    event: JSON.stringify(event), createdAt: Timestamp.fromMillis(nowMs), expireAt: Timestamp.fromMillis(nowMs + NOTIFY_RETENTION_MS),
  };
}

/** The event of a delivery record; undefined when it is not one this version wrote. */
export function eventOfDelivery(snapshot: DocumentSnapshot): NotifyEvent | undefined {
  const text: unknown = snapshot.get('event');
  if (typeof text !== 'string') return undefined;
  try {
    const event = JSON.parse(text) as Partial<NotifyEvent> | null;
    // Written by this adapter from a validated event; the check only guards against hand edits.
    return event && typeof event.id === 'string' && typeof event.kind === 'string' && typeof event.time === 'string' ? event as NotifyEvent : undefined;
  } catch {
    return undefined;
  }
}
