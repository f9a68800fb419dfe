// Simulated time is kept as integer microseconds since the Unix epoch: Vertex prints timestamps with
// six fractional digits, and integers keep filter comparisons on create_time exact.

export type SimTime = number;

export const MICROS_PER_SECOND = 1_000_000;

/** RFC 3339 UTC with microseconds, as Vertex prints it (`2023-09-25T18:52:42.092928Z`). */
export function formatTimestamp(micros: SimTime): string {
  const seconds = Math.floor(micros / MICROS_PER_SECOND);
  const fraction = micros - seconds * MICROS_PER_SECOND;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(fraction).padStart(6, '0')}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp (any offset, up to nine fractional digits); undefined when malformed. */
export function parseTimestamp(text: string): SimTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h)) return undefined;
  const offsetMinutes = /^[Zz]$/.test(zone) ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const micros = Number(frac.padEnd(9, '0').slice(0, 6));
  return (ms / 1000 - offsetMinutes * 60) * MICROS_PER_SECOND + micros;
}

/** proto3 JSON Duration: whole seconds print as `"42s"`, fractions with up to six digits. */
export function formatDuration(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_SECOND);
  const fraction = micros - whole * MICROS_PER_SECOND;
  if (fraction === 0) return `${whole}s`;
  return `${whole}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}s`;
}

export function secondsToMicros(seconds: number): number {
  return Math.round(seconds * MICROS_PER_SECOND);
}
