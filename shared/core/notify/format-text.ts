import {CANONICAL_CODES} from '../vertex/index.js';

// Small, locale-free formatting shared by the Slack and email renderings, so both say the same thing.

/** `2d 3h`, `1h 05m`, `4m 10s`, `12s`: the two largest units, never negative. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** `2026-11-02 09:04:00 UTC`, or the text as given when it is not a time. */
export function formatTime(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `09:04:00`: the time of day in UTC, for the lines of a grouped message. */
export function formatClock(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? rfc3339 : new Date(ms).toISOString().slice(11, 19);
}

/** `FAILED` for `JOB_STATE_FAILED`: what people call the state. */
export function shortState(state: string | null | undefined): string {
  if (!state) return 'none';
  return state.startsWith('JOB_STATE_') ? state.slice('JOB_STATE_'.length) : state;
}

/** Seconds from `since` to `until`, or undefined when either is not a time. */
export function secondsBetween(since: string | undefined, until: string | undefined): number | undefined {
  if (!since || !until) return undefined;
  const seconds = (Date.parse(until) - Date.parse(since)) / 1000;
  return Number.isNaN(seconds) ? undefined : Math.max(0, seconds);
}

/** `RESOURCE_EXHAUSTED (8): message`, the way Google's tools print a Status. */
export function formatStatus(error: {readonly code?: number; readonly message: string}): string {
  const name = error.code === undefined ? undefined : CANONICAL_CODES[error.code];
  const prefix = error.code === undefined ? '' : `${name ?? 'code'} (${error.code})`;
  if (!prefix) return error.message || 'no message';
  return error.message ? `${prefix}: ${error.message}` : prefix;
}

/** A metric value with at most 6 significant digits, without exponent noise for usual values. */
export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
