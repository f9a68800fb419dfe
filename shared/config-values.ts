// The value checks behind shared/config.ts. Each takes a variable's name and its raw text (config.ts
// is the only place that reads the environment), returns the value or a fallback, and appends a
// problem naming the variable, so every problem of a start-up is reported at once.

/** The problems found so far; each starts with the name of its variable. */
export type Problems = string[];

/** A number within `range`, or `fallback` when unset. */
export function numberIn(key: string, raw: string | undefined, fallback: number, range: {min: number; max: number}, problems: Problems): number {
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    problems.push(`${key}: "${raw}" must be a number from ${range.min} to ${range.max}`);
    return fallback;
  }
  return value;
}

/** A whole number within `range`, or `fallback` when unset. */
export function wholeNumberIn(key: string, raw: string | undefined, fallback: number, range: {min: number; max: number}, problems: Problems): number {
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    problems.push(`${key}: "${raw}" must be a whole number from ${range.min} to ${range.max}`);
    return fallback;
  }
  return value;
}

/** `true` or `false` in any case; false when unset. Only these two spellings: "ture" must not quietly mean yes. */
export function trueOrFalse(key: string, raw: string | undefined, problems: Problems): boolean {
  const value = raw?.toLowerCase();
  if (!value) return false;
  if (value === 'true' || value === 'false') return value === 'true';
  problems.push(`${key}: "${raw}" must be true or false`);
  return false;
}

/** An http(s) URL without a trailing slash, or undefined when unset. */
export function httpUrl(key: string, raw: string | undefined, problems: Problems): string | undefined {
  if (!raw) return undefined;
  if (hasProtocol(raw, ['http:', 'https:'])) return raw.replace(/\/+$/, '');
  problems.push(`${key}: "${raw}" is not an http(s) URL`);
  return undefined;
}

/** True when `text` parses as a URL with one of `protocols` (`'https:'`, …). */
export function hasProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** An https URL, or http on loopback (a local stand-in for Slack). */
export function isWebhookUrl(text: string): boolean {
  try {
    const url = new URL(text);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
  } catch {
    return false;
  }
}

/** `name@host` or `Display Name <name@host>`. */
export const MAILBOX = /^(?:[^<>\r\n]{0,100}<[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253}>|[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253})$/;

/** A valid Pub/Sub topic id. */
export const TOPIC_NAME = /^[a-zA-Z][a-zA-Z0-9._~%+-]{2,254}$/;
