import {NasmonError} from '../../errors.js';
import type {LocationRef} from '../../core/vertex/names.js';

/** Which Vertex request quota a call draws on (vertex-nasjobs-api.md §6.1). */
export type RequestKind = 'read' | 'write';

/** Options of {@link createRequestBudget}. */
export interface RequestBudgetOptions {
  /** The project+region quota for get/list/trial details/operations/cancel; default 600. */
  readonly readsPerMinute?: number;
  /** The job-submission quota assumed for create/delete; default 60. */
  readonly writesPerMinute?: number;
  /** Fraction of each quota nasmon may use, in (0, 1]; default 0.5 (the quota is shared with everyone). */
  readonly share?: number;
  /** Bucket capacity, in seconds of allowance; default 10, so a minute never sees much over the share. */
  readonly burstSeconds?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The answer of {@link RequestBudget.tryAcquire}. */
export type BudgetDecision = {readonly granted: true} | {readonly granted: false; readonly waitMs: number};

/** A per-(project, location, kind) token bucket that keeps nasmon under its share of the request quota. */
export interface RequestBudget {
  /** Takes a token, sleeping until one is free and any pause has ended. */
  acquire(target: LocationRef, kind?: RequestKind): Promise<void>;
  /** Takes a token if one is free now; otherwise says how long to wait. */
  tryAcquire(target: LocationRef, kind?: RequestKind): BudgetDecision;
  /** Stops granting tokens for `target` for `ms` (after a 429 with its retry delay). */
  pause(target: LocationRef, ms: number, kind?: RequestKind): void;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  pausedUntil: number;
}

/**
 * Creates an in-memory request budget. It is per process: the per-target lease keeps one poller on each
 * target, and the budget keys on the project as written in names (an ID and a number count separately).
 */
export function createRequestBudget(options: RequestBudgetOptions = {}): RequestBudget {
  const {now = Date.now, sleep = defaultSleep} = options;
  const rates = validRates(options);
  const buckets = new Map<string, Bucket>();
  const bucketOf = (target: LocationRef, kind: RequestKind): Bucket => {
    const key = `${target.project}/${target.location}/${kind}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = {tokens: rates[kind].capacity, updatedAt: now(), pausedUntil: 0}));
    return bucket;
  };
  const tryAcquire = (target: LocationRef, kind: RequestKind = 'read'): BudgetDecision => {
    const {perMs, capacity} = rates[kind];
    const bucket = bucketOf(target, kind);
    const t = now();
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, t - bucket.updatedAt) * perMs);
    bucket.updatedAt = t;
    if (t < bucket.pausedUntil) return {granted: false, waitMs: bucket.pausedUntil - t};
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return {granted: true};
    }
    return {granted: false, waitMs: Math.ceil((1 - bucket.tokens) / perMs)};
  };
  return {
    tryAcquire,
    async acquire(target, kind = 'read') {
      for (let decision = tryAcquire(target, kind); !decision.granted; decision = tryAcquire(target, kind)) {
        await sleep(decision.waitMs);
      }
    },
    pause(target, ms, kind = 'read') {
      const bucket = bucketOf(target, kind);
      bucket.pausedUntil = Math.max(bucket.pausedUntil, now() + Math.max(0, ms));
    },
  };
}

function validRates(options: RequestBudgetOptions): Record<RequestKind, {perMs: number; capacity: number}> {
  const {readsPerMinute = 600, writesPerMinute = 60, share = 0.5, burstSeconds = 10} = options;
  const positive = [readsPerMinute, writesPerMinute, share, burstSeconds].every(n => Number.isFinite(n) && n > 0);
  if (!positive || share > 1) {
    throw new NasmonError('config-invalid', `invalid request budget: ${JSON.stringify(options)}`);
  }
  const rate = (perMinute: number) => {
    const perMs = (perMinute * share) / 60_000;
    return {perMs, capacity: Math.max(1, perMs * burstSeconds * 1000)};
  };
  return {read: rate(readsPerMinute), write: rate(writesPerMinute)};
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
