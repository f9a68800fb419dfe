// Looks for secrets in logs after a run (issue 7: no secret in any log). A secret rarely leaks as
// itself only: it shows up percent-encoded in a logged URL or form body, JSON-escaped inside a logged
// object, base64-encoded inside an Authorization header or a token, or one line at a time (a PEM
// key). So each secret is searched in all those forms, base64 at each of the three byte alignments
// it can have inside a longer encoded blob. A hit names the file, the line and the secret's name,
// never the secret: the scanner's own report must not become the leak.
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';

/** A secret to look for, and the name a report calls it by. */
export interface NamedSecret {
  readonly name: string;
  readonly value: string;
}

/** How the secret appeared. */
export type SecretForm = 'plain' | 'line of it' | 'url-encoded' | 'json-escaped' | 'base64' | 'base64url';

/** One line that contains a secret, in one form. */
export interface SecretHit {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly secret: string;
  readonly form: SecretForm;
}

/** A log to scan: a file path, or text with the name a report should call it by. */
export type LogInput = string | {readonly name: string; readonly text: string};

interface Needle {
  readonly secret: string;
  readonly form: SecretForm;
  readonly text: string;
}

/** Fragments shorter than this would match too much by chance (a base64 fragment of a short secret). */
const MIN_NEEDLE = 8;
/** A multi-line secret's lines this long are searched one by one. */
const MIN_LINE = 16;

/** Every form of `value` worth searching for, without repeats. */
export function secretForms(value: string): Array<{form: SecretForm; text: string}> {
  if (value.length === 0) throw new Error('an empty secret would match every line');
  const forms: Array<{form: SecretForm; text: string}> = [{form: 'plain', text: value}];
  if (/\r?\n/.test(value)) {
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_LINE) forms.push({form: 'line of it', text: line.trim()});
  }
  const encoded = encodeURIComponent(value);
  // Percent-encoders differ in hex case and in whether a space is %20 or '+'.
  for (const text of [encoded, encoded.replace(/%[0-9A-F]{2}/g, hex => hex.toLowerCase()), encoded.replaceAll('%20', '+')]) {
    forms.push({form: 'url-encoded', text});
  }
  forms.push({form: 'json-escaped', text: JSON.stringify(value).slice(1, -1)});
  for (const text of base64Fragments(Buffer.from(value, 'utf8'))) {
    forms.push({form: 'base64', text}, {form: 'base64url', text: text.replaceAll('+', '-').replaceAll('/', '_')});
  }
  const seen = new Set<string>([value]);
  return forms.filter(({form, text}) => form === 'plain' || (text.length >= Math.min(MIN_NEEDLE, value.length) && !seen.has(text) && seen.add(text)));
}

/**
 * The base64 text that the secret's bytes produce wherever they sit in a longer encoded blob: for each
 * of the three offsets modulo 3, the characters of the 3-byte groups that hold secret bytes only.
 */
function base64Fragments(bytes: Buffer): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const firstGroup = Math.ceil(offset / 3) * 4;
    const endGroup = Math.floor((offset + bytes.length) / 3) * 4;
    const fragment = encoded.slice(firstGroup, endGroup);
    if (fragment.length >= MIN_NEEDLE) fragments.push(fragment);
  }
  // The secret encoded alone, padding stripped: a whole short value (a password) in a header.
  const alone = bytes.toString('base64').replace(/=+$/, '');
  if (!fragments.includes(alone)) fragments.push(alone);
  return fragments;
}

function needlesOf(secrets: readonly NamedSecret[]): Needle[] {
  return secrets.flatMap(secret => secretForms(secret.value).map(({form, text}) => ({secret: secret.name, form, text})));
}

function scanLine(file: string, number: number, line: string, needles: readonly Needle[], hits: SecretHit[]): void {
  for (const needle of needles) {
    if (!line.includes(needle.text)) continue;
    // One hit per secret and form on a line; a plain hit already explains its encodings' overlaps.
    if (hits.some(hit => hit.file === file && hit.line === number && hit.secret === needle.secret && hit.form === needle.form)) continue;
    hits.push({file, line: number, secret: needle.secret, form: needle.form});
  }
}

/** Every hit in `text`, reported under `name`. */
export function scanTextForSecrets(name: string, text: string, secrets: readonly NamedSecret[]): SecretHit[] {
  const needles = needlesOf(secrets);
  const hits: SecretHit[] = [];
  text.split(/\r?\n/).forEach((line, i) => scanLine(name, i + 1, line, needles, hits));
  return hits;
}

/** Every hit in the logs, files read line by line (a soak's logs can be large), in input order. */
export async function scanLogsForSecrets(inputs: readonly LogInput[], secrets: readonly NamedSecret[]): Promise<SecretHit[]> {
  const needles = needlesOf(secrets);
  const hits: SecretHit[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string') {
      hits.push(...scanTextForSecrets(input.name, input.text, secrets));
      continue;
    }
    let number = 0;
    const lines = createInterface({input: createReadStream(input, {encoding: 'utf8'}), crlfDelay: Infinity});
    for await (const line of lines) scanLine(input, ++number, line, needles, hits);
  }
  return hits;
}

/** `file:line: secret NAME (form)`: safe to print, it never contains the secret. */
export function formatSecretHits(hits: readonly SecretHit[]): string[] {
  return hits.map(hit => `${hit.file}:${hit.line}: secret ${hit.secret} (${hit.form})`);
}
