import {NasmonError} from '../../errors.js';

/** Exponential backoff with jitter; the server's own retry delay wins when it is longer. */
export interface RetryPolicy {
  /** Attempts in total, the first included; 1 disables retries. */
  readonly maxAttempts: number;
  /** Cap of the first retry's delay; doubles per retry. */
  readonly baseDelayMs: number;
  /** Ceiling of the exponential cap. */
  readonly maxDelayMs: number;
  /** `full`: a uniform delay in [0, cap) (AWS "full jitter"); `none`: exactly the cap. */
  readonly jitter: 'full' | 'none';
  /** A server asking for a longer wait than this is not waited for: the error surfaces instead. */
  readonly maxServerDelayMs: number;
}

/** Defaults: 5 attempts, 0.5 s doubling to 30 s, full jitter, server delays up to 2 minutes honoured. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  jitter: 'full',
  maxServerDelayMs: 120_000,
};

/** Merges overrides into the defaults and validates the result. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = {...DEFAULT_RETRY_POLICY, ...overrides};
  const valid =
    Number.isInteger(policy.maxAttempts) &&
    policy.maxAttempts >= 1 &&
    policy.baseDelayMs >= 0 &&
    policy.maxDelayMs >= policy.baseDelayMs &&
    policy.maxServerDelayMs >= 0;
  if (!valid) throw new NasmonError('config-invalid', `invalid retry policy: ${JSON.stringify(policy)}`);
  return policy;
}

/** The backoff before retry number `retry` (1 = the first retry), given `random()` in [0, 1). */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return policy.jitter === 'full' ? Math.floor(random() * cap) : cap;
}

/** The wait before retry number `retry`, or `undefined` when the server asks for more than the policy allows. */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  random: () => number,
  serverDelayMs?: number,
): number | undefined {
  if (serverDelayMs !== undefined && serverDelayMs > policy.maxServerDelayMs) return undefined;
  return Math.max(serverDelayMs ?? 0, backoffDelayMs(policy, retry, random));
}

/** The injected pieces of a retry loop. */
export interface RetryDeps {
  readonly policy: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Decides whether the error of attempt `attempt` (1-based) is worth another attempt. */
  readonly shouldRetry: (error: unknown, attempt: number) => boolean;
  /** The server-requested delay carried by an error, in ms. */
  readonly serverDelayOf: (error: unknown) => number | undefined;
}

/** Runs `attempt(1)`, `attempt(2)`, … until one succeeds, an error is not retryable, or attempts run out. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, deps: RetryDeps): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= deps.policy.maxAttempts || !deps.shouldRetry(error, n)) throw error;
      const delay = retryDelayMs(deps.policy, n, deps.random, deps.serverDelayOf(error));
      if (delay === undefined) throw error;
      await deps.sleep(delay);
    }
  }
}
