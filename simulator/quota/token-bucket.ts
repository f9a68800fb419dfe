// A per-minute request quota as a token bucket refilled continuously in REAL time: Vertex's request
// quotas are wall-clock limits, so an accelerated simulated clock must not refill them faster.

export type TakeResult = {ok: true} | {ok: false; retryAfterSeconds: number};

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = perMinute;
    this.last = nowMs();
  }

  take(): TakeResult {
    const now = this.nowMs();
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return {ok: true};
    }
    const retryAfterSeconds = this.perMinute > 0 ? ((1 - this.tokens) * 60) / this.perMinute : 60;
    return {ok: false, retryAfterSeconds};
  }
}
