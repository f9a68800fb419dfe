// proto3 JSON Timestamp and Duration (vertex-nasjobs-api.md §2): RFC 3339 strings and "<seconds>s" strings.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DURATION = /^(-)?(\d{1,12})(?:\.(\d{1,9}))?s$/;

// google.protobuf.Timestamp covers 0001-01-01 to 9999-12-31; Duration is bounded by ±10,000 years.
const MAX_DURATION_SECONDS = 315_576_000_000;

/**
 * Parses an RFC 3339 timestamp (`Z` or a `±HH:MM` offset, 0–9 fraction digits) to epoch milliseconds,
 * truncating below the millisecond. Returns `undefined` for anything else, including impossible dates.
 */
export function parseTimestampMs(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const fields = checkedFields(m);
  if (!fields) return undefined;
  const [year, month, day, hour, minute, second, offsetMinutes] = fields;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not turn years 0–99 into 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, fractionMs(m[7]));
  return date.getTime() - offsetMinutes * 60_000;
}

/** True when `text` is a valid RFC 3339 timestamp. Builds no Date: parsers call it for every timestamp. */
export function isTimestamp(text: string): boolean {
  const m = RFC3339.exec(text);
  return m !== null && checkedFields(m) !== undefined;
}

// Year to second, and the offset in minutes, when every field is in range.
function checkedFields(m: RegExpExecArray): [number, number, number, number, number, number, number] | undefined {
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined; // Timestamp has no leap seconds
  const offsetMinutes = offsetOf(m[8], m[9], m[10], m[11]);
  return offsetMinutes === undefined ? undefined : [year, month, day, hour, minute, second, offsetMinutes];
}

/** Formats epoch milliseconds as proto3 JSON does: UTC, `Z`, 3 fraction digits. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Parses a proto3 JSON Duration (`"1209600s"`, `"3.5s"`, `"-0.000000001s"`) to seconds, or `undefined`. */
export function parseDurationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const seconds = Number(`${m[2]}.${m[3] ?? '0'}`);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  return m[1] ? -seconds : seconds;
}

/** True when `text` is a valid proto3 JSON Duration. */
export function isDuration(text: string): boolean {
  return parseDurationSeconds(text) !== undefined;
}

/** Formats seconds as a proto3 JSON Duration string. */
export function formatDuration(seconds: number): string {
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(9).replace(/0+$/, '')}s`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function fractionMs(digits: string | undefined): number {
  return digits === undefined ? 0 : Number(digits.padEnd(3, '0').slice(0, 3));
}

function offsetOf(
  zulu: string | undefined,
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
): number | undefined {
  if (zulu) return 0;
  const h = Number(hours);
  const min = Number(minutes);
  if (h > 23 || min > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (h * 60 + min);
}
