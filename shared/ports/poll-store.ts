import type {OutboundEvent} from '../core/events/nasjob-event.js';
import type {Observation} from '../core/poll/apply-observation.js';
import type {Target} from '../config.js';

/** The compact per-target view a quiet poll cycle reads instead of one document per job. */
export interface DigestEntry {
  readonly name: string;
  readonly state: string;
  readonly sequence: number;
  readonly updateTime?: string;
  /** The job's updateTime when its trials were last read with `get`. */
  readonly trialsUpdateTime?: string;
  /** When nasmon last read this job's trials; drives the round-robin of trial refreshes. */
  readonly trialsReadAt?: string;
}

/** A mirrored job as a sweep compares it with the listing: what the digest holds, for a job it dropped. */
export type RecordedJob = Pick<DigestEntry, 'name' | 'state' | 'updateTime'>;

/** One target's digest: every job nasmon tracks there that is active or recently finished. */
export interface TargetDigest {
  /** Keyed by job resource name. */
  readonly jobs: ReadonlyMap<string, DigestEntry>;
  /** When the last successful list of the target started (the create_time window starts before it). */
  readonly lastListTime?: string;
  /** When the last full sweep (a list of every job, for deletions of finished jobs) started. */
  readonly lastSweepTime?: string;
}

/** Events committed together for one job observation, published together after the commit. */
export interface OutboxBatch {
  readonly id: string;
  readonly events: readonly OutboundEvent[];
}

/** Thrown when a poller's lease on a target was taken over: it must stop writing at once. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * Thrown by acquireLease when the lease document stayed locked by another transaction until the
 * store gave up: typically one of a session killed mid-transaction, whose lock outlives it a while.
 */
export class LeaseBusyError extends Error {
  override readonly name = 'LeaseBusyError';
}

/** Where the poller keeps its mirror, history, outbox, digests and leases. */
export interface PollStore {
  /**
   * Takes or renews the target's lease for `ttlMs`; false when another live holder has it, unless
   * that holder's session was started by the same `delivery` (the id of the Pub/Sub message that
   * started both). Pub/Sub delivers a message again only when the earlier delivery was never
   * acknowledged: its session died or timed out, so its lease is taken over at once instead of
   * being waited out. (A rare duplicate of a live delivery takes over too: the live session's next
   * write fails its lease check and ends it; both sessions end when the same tick's period does.)
   */
  acquireLease(target: Target, holder: string, ttlMs: number, delivery?: string): Promise<boolean>;
  releaseLease(target: Target, holder: string): Promise<void>;
  /** When the target's current lease ends (epoch ms); undefined when nobody holds one. */
  leaseExpiry(target: Target): Promise<number | undefined>;
  readDigest(target: Target): Promise<TargetDigest>;
  /**
   * Applies the observations in transactions that also check the lease: job mirror, history,
   * outbox and digest change together or not at all. Returns the outbox batches written.
   * Throws LeaseLostError when `holder` no longer holds the lease.
   */
  recordObservations(target: Target, holder: string, observations: readonly Observation[], observedTime: string): Promise<OutboxBatch[]>;
  /**
   * Notes that trials of these jobs were read at `readAt` even where nothing changed. Only for jobs
   * the digest tracks (or that this cycle recorded): a read time of an untracked job stays unused.
   */
  markTrialsRead(target: Target, names: readonly string[], readAt: string): Promise<void>;
  saveScanTimes(target: Target, times: {lastListTime?: string; lastSweepTime?: string}): Promise<void>;
  /** Drops finished jobs from the digest once they have been terminal for a while (they stay mirrored). */
  pruneDigest(target: Target, names: readonly string[]): Promise<void>;
  /** Unpublished batches of the target, oldest first. */
  pendingOutbox(target: Target, limit: number): Promise<OutboxBatch[]>;
  /** Removes batches once every event in them was published. */
  completeOutbox(ids: readonly string[]): Promise<void>;
  /** The target's mirrored jobs not yet reported deleted, as last recorded (read only by full sweeps). */
  recordedJobs(target: Target): Promise<RecordedJob[]>;
}
