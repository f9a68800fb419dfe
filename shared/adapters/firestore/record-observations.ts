// PollStore#recordObservations: applies observations inside transactions that re-check the lease
// and the stored record, so mirror, history, outbox and digest change together or not at all.
import type {DocumentData, Firestore, Transaction} from '@google-cloud/firestore';
import type {Target} from '../../config.js';
import {applyObservation, type HistoryEntry, type Observation, type Recording} from '../../core/poll/apply-observation.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {OutboxBatch} from '../../ports/poll-store.js';
import {DIGEST_SHARDS, expireAtOf, targetKeyOf, type StoreRefs} from './collections.js';
import {digestWrite} from './digest-doc.js';
import {readJobRecord, toJobDoc} from './job-doc.js';
import {assertLease} from './lease.js';
import {toOutboxDocs, type OutboxDoc} from './outbox-doc.js';
import {StoredDataError} from './stored-data.js';

/** Stays under the 10 MiB request limit of a commit, with room for encoding overhead. */
export const MAX_TRANSACTION_BYTES = 8 * 1024 * 1024;

/** What one recordObservations call works with. */
export interface RecordContext {
  readonly firestore: Firestore;
  readonly refs: StoreRefs;
  readonly target: Target;
  readonly holder: string;
  readonly observedTime: string;
  readonly now: () => Date;
  /** Upper bound on the writes of one transaction (job, history and outbox documents, plus the digest). */
  readonly maxWrites: number;
  readonly log: Logger;
}

interface ChunkResult {
  /** How many of the candidates this transaction dealt with; the rest go to the next one. */
  readonly consumed: number;
  readonly batches: OutboxBatch[];
  readonly corrupt: StoredDataError[];
}

/**
 * Records the observations in order, in as many transactions as the write and size budgets need.
 * A job whose stored document is corrupt is skipped (the others are recorded); the error naming it
 * is thrown at the end, so one bad document neither re-announces its job nor stalls its target.
 */
export async function recordObservations(ctx: RecordContext, observations: readonly Observation[]): Promise<OutboxBatch[]> {
  // Worst case per observation: its job document, a history entry and an outbox document.
  const perTransaction = Math.max(1, Math.floor((ctx.maxWrites - 1) / 3));
  const batches: OutboxBatch[] = [];
  const corrupt: StoredDataError[] = [];
  let rest = observations;
  while (rest.length > 0) {
    const candidates = rest.slice(0, perTransaction);
    // The SDK may run the callback several times; only the attempt that committed is returned.
    const result = await ctx.firestore.runTransaction(tx => recordChunk(tx, ctx, candidates));
    batches.push(...result.batches);
    corrupt.push(...result.corrupt);
    rest = rest.slice(result.consumed);
  }
  for (const error of corrupt) ctx.log.error('job record is corrupt; its observations were not recorded', {error});
  if (corrupt[0]) throw corrupt[0];
  return batches;
}

async function recordChunk(tx: Transaction, ctx: RecordContext, candidates: readonly Observation[]): Promise<ChunkResult> {
  const names = [...new Set(candidates.map(observation => observation.name))];
  // The lease and the stored records in one round trip.
  const [lease, ...snapshots] = await tx.getAll(ctx.refs.lease(ctx.target), ...names.map(name => ctx.refs.job(name)));
  assertLease(lease!, ctx.holder, ctx.now());
  const stored = new Map<string, JobRecord | undefined>();
  const corrupt = new Map<string, StoredDataError>();
  snapshots.forEach((snapshot, index) => {
    const name = names[index]!;
    try {
      stored.set(name, readJobRecord(snapshot));
    } catch (error) {
      if (!(error instanceof StoredDataError)) throw error;
      corrupt.set(name, error);
    }
  });
  const plan = new WritePlan(ctx);
  let consumed = 0;
  for (const observation of candidates) {
    if (!corrupt.has(observation.name)) {
      const recording = applyObservation(stored.get(observation.name), observation, ctx.observedTime);
      if (recording.record && !plan.add(recording.record, recording.history, recording.events)) break;
      if (recording.record) stored.set(observation.name, recording.record); // a later sighting diffs against this one
    }
    consumed += 1;
  }
  plan.apply(tx);
  return {consumed, batches: plan.batches(), corrupt: [...corrupt.values()]};
}

/** The writes of one transaction, bounded by write count and bytes. */
class WritePlan {
  private readonly records = new Map<string, JobRecord>();
  private readonly jobDocs = new Map<string, DocumentData>();
  private readonly histories: HistoryEntry[] = [];
  private readonly historyNames: string[] = [];
  private readonly outbox: OutboxDoc[] = [];
  private writes = DIGEST_SHARDS; // at most every digest shard
  private bytes = 0;

  constructor(private readonly ctx: RecordContext) {}

  /** Adds one recording unless it would break the budget of a non-empty plan. */
  add(record: JobRecord, history: HistoryEntry | undefined, events: Recording['events']): boolean {
    const docs = toOutboxDocs(events, targetKeyOf(this.ctx.target), this.outbox.length);
    const writes = (this.records.has(record.name) ? 0 : 1) + (history ? 1 : 0) + docs.length;
    const jobDoc = toJobDoc(record, this.ctx.target);
    const bytes = jsonBytes(jobDoc.jobJson) + jsonBytes(jobDoc.stagesJson) + 1_000 + docs.reduce((sum, doc) => sum + doc.bytes, 0);
    const empty = this.writes === DIGEST_SHARDS;
    if (!empty && (this.writes + writes > this.ctx.maxWrites || this.bytes + bytes > MAX_TRANSACTION_BYTES)) return false;
    this.records.set(record.name, record);
    this.jobDocs.set(record.name, jobDoc);
    if (history) {
      this.histories.push(history);
      this.historyNames.push(record.name);
    }
    this.outbox.push(...docs);
    this.writes += writes;
    this.bytes += bytes;
    return true;
  }

  apply(tx: Transaction): void {
    if (this.records.size === 0) return; // a quiet chunk writes nothing
    const {refs, target} = this.ctx;
    for (const [name, doc] of this.jobDocs) tx.set(refs.job(name), doc);
    // create, not set: a history entry is never rewritten; a collision means the mirror was tampered with.
    this.histories.forEach((entry, index) => {
      const name = this.historyNames[index]!;
      tx.create(refs.history(name, entry.sequence), {...entry, name, expireAt: expireAtOf(entry.observedTime)});
    });
    // set: the id names the transition, so writing it again can only write the same events.
    for (const doc of this.outbox) tx.set(refs.outbox(doc.batch.id), doc.data);
    for (const [shard, write] of digestWrite(this.records.values())) {
      tx.set(refs.digestShard(target, shard), write.data, {mergeFields: write.mergeFields});
    }
  }

  batches(): OutboxBatch[] {
    return this.outbox.map(doc => doc.batch);
  }
}

function jsonBytes(text: unknown): number {
  return typeof text === 'string' ? Buffer.byteLength(text) : 0;
}
