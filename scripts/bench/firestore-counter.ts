// Counts the Firestore document reads and writes one client instance makes, by wrapping the SDK's
// read and commit paths (prototypes are patched once; counts are kept per Firestore instance, so
// nasmon's and the naive poller's clients are counted apart). What counts, as Firestore bills it:
//   read  = one document per lookup (Firestore#getAll, DocumentReference#get, Transaction#get of a
//           reference, Transaction#getAll), found or not; a query (Query#get, Transaction#get of a
//           query) counts the documents it returned, and 1 when it returned none (billing minimum).
//           Reads inside a transaction attempt that was retried count again: they happened.
//   write = one document written (set/update/create/delete, a server-timestamp transform included)
//           by a commit that succeeded: WriteBatch#commit, DocumentReference#set/update/delete and
//           transaction commits all end in WriteBatch#_commit. Writes of failed commits do not count.
import {DocumentSnapshot, Firestore, Query, QuerySnapshot, Transaction, WriteBatch} from '@google-cloud/firestore';

/** Running totals of one client. */
export interface FirestoreCounts {
  reads: number;
  writes: number;
  queries: number;
  commits: number;
}

const counters = new WeakMap<object, FirestoreCounts>();
let patched = false;

/** Starts counting `firestore`'s reads and writes; returns its live totals. */
export function countFirestore(firestore: Firestore): FirestoreCounts {
  patchOnce();
  const counts: FirestoreCounts = {reads: 0, writes: 0, queries: 0, commits: 0};
  counters.set(firestore, counts);
  return counts;
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

// The SDK fields the wrappers read: Query#firestore is public; Transaction#_firestore,
// WriteBatch#_firestore and WriteBatch#_ops are internal (checked at patch time where possible).
interface SdkInternals {
  readonly firestore?: object;
  readonly _firestore?: object;
  readonly _ops?: unknown[];
}

/** Replaces `proto[key]` with a wrapper that sees the receiver and the resolved result. */
function wrap(proto: object, key: string, after: (self: SdkInternals, result: unknown) => void): void {
  const original = (proto as Record<string, AnyFn>)[key];
  if (typeof original !== 'function') throw new Error(`Firestore SDK changed: ${key} is not a method`);
  (proto as Record<string, AnyFn>)[key] = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    after(this as SdkInternals, result);
    return result;
  };
}

// Reads returned by a lookup or query result, as billed.
function readsOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  if (result instanceof QuerySnapshot) return Math.max(1, result.size);
  if (result instanceof DocumentSnapshot) return 1;
  return 0;
}

function patchOnce(): void {
  if (patched) return;
  patched = true;
  const onRead = (owner: object | undefined, result: unknown, query: boolean) => {
    const counts = owner && counters.get(owner);
    if (!counts) return;
    counts.reads += readsOf(result);
    if (query) counts.queries += 1;
  };
  // DocumentReference#get calls this.firestore.getAll, so it is covered here.
  wrap(Firestore.prototype, 'getAll', (self, result) => onRead(self, result, false));
  wrap(Query.prototype, 'get', (self, result) => onRead(self.firestore, result, true));
  wrap(Transaction.prototype, 'get', (self, result) => onRead(self._firestore, result, result instanceof QuerySnapshot));
  wrap(Transaction.prototype, 'getAll', (self, result) => onRead(self._firestore, result, false));
  // _commit is internal; the op count must be taken before the call (the batch may be reset after).
  const proto = WriteBatch.prototype as unknown as Record<string, AnyFn>;
  const commit = proto._commit;
  if (typeof commit !== 'function') throw new Error('Firestore SDK changed: WriteBatch#_commit is missing');
  proto._commit = async function (this: unknown, ...args: unknown[]) {
    const batch = this as SdkInternals;
    const ops = Array.isArray(batch._ops) ? batch._ops.length : 0;
    const result = await commit.apply(this, args);
    const counts = batch._firestore && counters.get(batch._firestore);
    if (counts) {
      counts.writes += ops;
      counts.commits += 1;
    }
    return result;
  };
}
