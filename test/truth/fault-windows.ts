// Declared faults (an emulator stopped, the simulator answering 503s…) excuse what nasmon could not
// see while they lasted. Windows are padded by a margin, because a fault's effects outlast it (a
// backoff, a lease to expire), and merged, so "how long was this state visible" is one subtraction.

/** A span of time, in ms on the simulator's clock (Date.parse of its RFC 3339 times). */
export interface FaultWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** The windows widened by `marginMs` on both sides, sorted and merged where they overlap. */
export function padWindows(windows: readonly FaultWindow[], marginMs: number): FaultWindow[] {
  const padded = windows.map(w => ({startMs: w.startMs - marginMs, endMs: w.endMs + marginMs})).sort((a, b) => a.startMs - b.startMs);
  const merged: FaultWindow[] = [];
  for (const window of padded) {
    const last = merged.at(-1);
    if (last && window.startMs <= last.endMs) merged[merged.length - 1] = {startMs: last.startMs, endMs: Math.max(last.endMs, window.endMs)};
    else merged.push(window);
  }
  return merged;
}

/** The longest part of [startMs, endMs) that no window covers: how long a state was in plain sight. */
export function longestClearStretchMs(startMs: number, endMs: number, merged: readonly FaultWindow[]): number {
  let longest = 0;
  let from = startMs;
  for (const window of merged) {
    if (window.endMs <= from) continue;
    if (window.startMs >= endMs) break;
    longest = Math.max(longest, Math.min(window.startMs, endMs) - from);
    from = Math.max(from, window.endMs);
  }
  return Math.max(longest, endMs - from);
}

/** True when `atMs` falls inside one of the windows. */
export function insideAny(atMs: number, merged: readonly FaultWindow[]): boolean {
  return merged.some(window => atMs >= window.startMs && atMs < window.endMs);
}
