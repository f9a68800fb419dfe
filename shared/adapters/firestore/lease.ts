// The per-target lease: one poller at a time writes a target. Writes check it inside their own
// transaction (fencing), so a poller that stalled past its lease cannot write after a takeover.
import {Timestamp, type DocumentReference, type DocumentSnapshot, type Firestore} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import {LeaseBusyError, LeaseLostError} from '../../ports/poll-store.js';

/** The lease as stored; undefined when there is none or it cannot be read. */
interface StoredLease {
  readonly holder: string;
  readonly expiresAt: Timestamp;
  /** The id of the message whose delivery started the holder's session, when it was given. */
  readonly delivery?: string;
}

function leaseOf(snapshot: DocumentSnapshot): StoredLease | undefined {
  const holder: unknown = snapshot.get('holder');
  const expiresAt: unknown = snapshot.get('expiresAt');
  // A malformed lease is treated as absent: the next acquire overwrites it, and a writer that
  // checks against it loses, so it can never grant two holders at once.
  if (typeof holder !== 'string' || !(expiresAt instanceof Timestamp)) return undefined;
  const delivery: unknown = snapshot.get('delivery');
  return typeof delivery === 'string' ? {holder, expiresAt, delivery} : {holder, expiresAt};
}

const isLive = (lease: StoredLease, now: Date) => lease.expiresAt.toMillis() > now.getTime();

/** Who asks for a lease, for how long, and for which message's delivery (PollStore.acquireLease). */
export interface LeaseRequest {
  readonly holder: string;
  readonly ttlMs: number;
  readonly delivery?: string | undefined;
}

/**
 * Takes the lease when it is free, expired, already ours, or held for an earlier delivery of the
 * same message, and sets its expiry to now + ttlMs.
 */
export async function acquireLease(firestore: Firestore, ref: DocumentReference, target: Target, request: LeaseRequest, now: () => Date): Promise<boolean> {
  const {holder, ttlMs, delivery} = request;
  try {
    return await firestore.runTransaction(async tx => {
      const lease = leaseOf(await tx.get(ref));
      const at = now();
      const redelivered = delivery !== undefined && lease?.delivery === delivery;
      if (lease && lease.holder !== holder && isLive(lease, at) && !redelivered) return false;
      tx.set(ref, {
        holder,
        expiresAt: Timestamp.fromMillis(at.getTime() + ttlMs),
        project: target.project,
        location: target.location,
        ...(delivery === undefined ? {} : {delivery}),
      });
      return true;
    });
  } catch (error) {
    // ABORTED after the client's own retries: the document stayed locked (a transaction of a killed
    // instance holds its locks until it expires, about 20 s in the emulator).
    if ((error as {code?: unknown} | null)?.code === ABORTED) throw new LeaseBusyError(`lease ${ref.path} is locked by another transaction`, {cause: error});
    throw error;
  }
}

const ABORTED = 10;

/** When the lease ends (epoch ms), whoever holds it; undefined when there is none. */
export async function leaseExpiry(ref: DocumentReference): Promise<number | undefined> {
  return leaseOf(await ref.get())?.expiresAt.toMillis();
}

/** Deletes the lease if `holder` still has it; someone else's lease is left alone. */
export async function releaseLease(firestore: Firestore, ref: DocumentReference, holder: string): Promise<void> {
  await firestore.runTransaction(async tx => {
    const lease = leaseOf(await tx.get(ref));
    if (lease?.holder === holder) tx.delete(ref);
  });
}

/**
 * Throws LeaseLostError unless the lease document, read inside the caller's transaction (alongside
 * whatever else it reads, in one round trip), shows `holder` holding a live lease.
 */
export function assertLease(snapshot: DocumentSnapshot, holder: string, now: Date): void {
  const lease = leaseOf(snapshot);
  if (!lease || lease.holder !== holder) {
    throw new LeaseLostError(`lease ${snapshot.ref.path} is held by ${lease?.holder ?? 'nobody'}, not ${holder}`);
  }
  if (!isLive(lease, now)) {
    throw new LeaseLostError(`lease ${snapshot.ref.path} of ${holder} expired at ${lease.expiresAt.toDate().toISOString()}`);
  }
}
