// Per-caller rate limit of the gate: a token bucket per verified caller, so one runaway pipeline
// cannot starve the others of the gate (or of the project's Vertex quota behind it). Pure: the
// caller passes the time.

/** Answers whether a caller may make one more call now. */
export interface CallerRateLimit {
  /** Takes one call from `caller`'s bucket: undefined when allowed, else the whole seconds to wait. */
  take(caller: string, nowMs: number): number | undefined;
}

/** Options of {@link createCallerRateLimit}. */
export interface CallerRateLimitOptions {
  /** Sustained calls a minute per caller. */
  readonly perMinute: number;
  /** Calls a caller may make at once after a quiet spell; default ten seconds' worth (at least 1). */
  readonly burst?: number;
  /** Callers remembered at most; the longest idle are forgotten first (they come back with a full bucket). */
  readonly maxCallers?: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Creates a limiter with one bucket per caller, refilled continuously at `perMinute`. */
export function createCallerRateLimit(options: CallerRateLimitOptions): CallerRateLimit {
  const perMs = options.perMinute / 60_000;
  const burst = options.burst ?? Math.max(1, Math.ceil(options.perMinute / 6));
  const maxCallers = options.maxCallers ?? 10_000;
  const buckets = new Map<string, Bucket>();
  return {
    take(caller, nowMs) {
      const bucket = buckets.get(caller) ?? {tokens: burst, atMs: nowMs};
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, nowMs - bucket.atMs) * perMs);
      bucket.atMs = nowMs;
      // Re-inserted on every call, so the Map's order is least recently seen first.
      buckets.delete(caller);
      buckets.set(caller, bucket);
      if (buckets.size > maxCallers) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
