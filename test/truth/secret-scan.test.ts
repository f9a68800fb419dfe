// The secret scanner: finds each secret as itself and in the forms logs turn it into, tells file and
// line, never repeats the secret in what it reports, and stays quiet on logs without one.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {formatSecretHits, scanLogsForSecrets, scanTextForSecrets, secretForms, type NamedSecret} from './secret-scan.js';

const TOKEN: NamedSecret = {name: 'slack-webhook', value: 'https://hooks.slack.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX'};
const PASSWORD: NamedSecret = {name: 'smtp-password', value: 'p@ss "word"/+ü\\x'};
const KEY: NamedSecret = {
  name: 'local-issuer-key',
  value: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dV\n-----END PRIVATE KEY-----',
};
/** Its base64 has '+' and '/' at every alignment, so base64url differs from base64. */
const API_KEY: NamedSecret = {name: 'api-key', value: 'sk-???>>>~~~???>>>~~~-0123'};
const SECRETS = [TOKEN, PASSWORD, KEY, API_KEY];
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('scanTextForSecrets', () => {
  it.each<[string, string, string, string]>([
    ['as itself', `{"level":"info","webhook":"${TOKEN.value}"}`, TOKEN.name, 'plain'],
    ['percent-encoded in a URL', `GET /hook?target=${encodeURIComponent(TOKEN.value)} 200`, TOKEN.name, 'url-encoded'],
    ['percent-encoded with lowercase hex', `url=${encodeURIComponent(TOKEN.value).replace(/%[0-9A-F]{2}/g, h => h.toLowerCase())}`, TOKEN.name, 'url-encoded'],
    ['form-encoded, space as +', `body: user=a&pass=${encodeURIComponent('two words pw!').replaceAll('%20', '+')}`, 'form', 'url-encoded'],
    ['JSON-escaped inside a logged object', JSON.stringify({error: {config: {auth: {pass: PASSWORD.value}}}}), PASSWORD.name, 'json-escaped'],
    ['base64 in a Basic Authorization header', `authorization: Basic ${b64(`mailer:${PASSWORD.value}`)}`, PASSWORD.name, 'base64'],
    ['base64url inside a token', `token=${b64url(`{"sub":"x","k":"${API_KEY.value}"}`)}.sig`, API_KEY.name, 'base64url'],
    ['one line of a multi-line key', `key line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7`, KEY.name, 'line of it'],
  ])('finds a secret %s', (_, line, secret, form) => {
    const secrets = secret === 'form' ? [{name: 'form', value: 'two words pw!'}] : SECRETS;
    const hits = scanTextForSecrets('app.log', `starting\n${line}\nstopping`, secrets);
    expect(hits).toContainEqual({file: 'app.log', line: 2, secret, form});
    expect(hits.every(hit => hit.line === 2)).toBe(true);
  });

  it.each([0, 1, 2, 3, 4, 5])('finds base64 of a secret after %i bytes of other content (every alignment)', prefix => {
    const blob = b64(`${'x'.repeat(prefix)}${TOKEN.value}${'y'.repeat(7)}`);
    expect(scanTextForSecrets('a', blob, [TOKEN])).toEqual([{file: 'a', line: 1, secret: TOKEN.name, form: 'base64'}]);
  });

  it('stays quiet on a log without the secret, or with only a piece of it', () => {
    const log = ['{"message":"sent to slack","host":"hooks.slack.example"}', TOKEN.value.slice(0, 30), b64(TOKEN.value.slice(0, 6)), 'Basic dXNlcjpvdGhlcg=='].join('\n');
    expect(scanTextForSecrets('quiet.log', log, SECRETS)).toEqual([]);
  });

  it('refuses an empty secret, which would match every line', () => {
    expect(() => scanTextForSecrets('a', 'x', [{name: 'empty', value: ''}])).toThrow(/empty secret/);
  });

  it('never carries the secret, or a form of it, in what it reports', () => {
    const log = SECRETS.map(secret => `${secret.value}\n${b64(secret.value)}\n${encodeURIComponent(secret.value)}`).join('\n');
    const report = formatSecretHits(scanTextForSecrets('all.log', log, SECRETS)).join('\n');
    expect(report).toContain('all.log:1: secret slack-webhook (plain)');
    for (const secret of SECRETS) {
      for (const {text} of secretForms(secret.value)) expect(report.includes(text), `${secret.name} leaks into the report`).toBe(false);
    }
  });
});

describe('scanLogsForSecrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nasmon-secret-scan-'));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it('reads files line by line and strings by name, with line numbers from 1', async () => {
    const clean = join(dir, 'clean.log');
    const leaky = join(dir, 'leaky.log');
    writeFileSync(clean, 'nothing\nto see\n');
    writeFileSync(leaky, `line one\r\nline two\r\nAuthorization: Basic ${b64(`u:${PASSWORD.value}`)}\r\n`);
    const hits = await scanLogsForSecrets([clean, leaky, {name: 'stdout of the stack', text: `a\nb\nc\nwebhook ${TOKEN.value}`}], SECRETS);
    expect(formatSecretHits(hits)).toEqual([`${leaky}:3: secret smtp-password (base64)`, 'stdout of the stack:4: secret slack-webhook (plain)']);
  });
});
