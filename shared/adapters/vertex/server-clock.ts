// Vertex's clock, as its answers' `Date` headers show it. Enforce judges how long a job has run by
// Vertex's timestamps (startTime, createTime, trial end times); measured against this instance's own
// clock, a skew between the two would cancel every job early by the skew (or late). Google's front
// end dates every answer, and enforce reads the job from Vertex before any cancel, so the offset is
// known by the time it matters.
import type {FetchLike} from './http-transport.js';

/** How far Vertex's clock is from ours, estimated from the answers seen so far. */
export interface ServerClock {
  /** One answer: its `Date` header, and our clock when the request went out and the answer came. */
  observe(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): void;
  /** Vertex's clock minus ours, in ms; 0 until answers show a skew beyond the header's precision. */
  offsetMs(): number;
  /** Now, on Vertex's clock as far as it is known. */
  now(): Date;
}

export interface ServerClockOptions {
  readonly localNow?: () => number;
  /** How many recent answers the estimate is the median of; default 15. */
  readonly samples?: number;
  /**
   * Offsets smaller than this count as none; default 2 s. A `Date` header has whole seconds, so one
   * answer tells the offset only to within half a second plus half the round trip.
   */
  readonly minOffsetMs?: number;
}

/** A clock that starts as ours and follows Vertex's once its answers show a difference. */
export function createServerClock(options: ServerClockOptions = {}): ServerClock {
  const localNow = options.localNow ?? Date.now;
  const size = options.samples ?? 15;
  const minOffsetMs = options.minOffsetMs ?? 2000;
  const recent: number[] = [];
  let offset = 0;
  return {
    observe(dateHeader, sentAtMs, receivedAtMs) {
      const serverMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
      if (!Number.isFinite(serverMs) || receivedAtMs < sentAtMs) return;
      // The header's second began up to 1 s before the server wrote it, so its middle is the best
      // guess; the middle of the exchange is the best guess of when, on our clock, that was.
      recent.push(serverMs + 500 - (sentAtMs + receivedAtMs) / 2);
      if (recent.length > size) recent.shift();
      const sorted = [...recent].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      offset = Math.abs(median) >= minOffsetMs ? Math.round(median) : 0;
    },
    offsetMs: () => offset,
    now: () => new Date(localNow() + offset),
  };
}

/** `fetch` that shows every answer's `Date` header to `clock`. */
export function observingServerClock(fetch: FetchLike, clock: ServerClock, localNow: () => number = Date.now): FetchLike {
  return async (url, init) => {
    const sentAtMs = localNow();
    const response = await fetch(url, init);
    clock.observe(response.headers.get('date'), sentAtMs, localNow());
    return response;
  };
}
