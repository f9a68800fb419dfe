import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {decodeJwt} from '../../../../shared/adapters/auth/jwt.js';
import {createConfiguredVerifier} from '../../../../shared/adapters/auth/configured-verifier.js';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../../../../shared/adapters/auth/local-issuer.js';
import {tokenFromArgs} from '../../../../scripts/token.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nasmon-issuer-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach(dir => rmSync(dir, {recursive: true, force: true})));

describe('loadOrCreateLocalIssuer', () => {
  it('creates a private key readable only by its owner, then reuses it', () => {
    const dir = join(tempDir(), 'nested', 'local-issuer');
    const first = loadOrCreateLocalIssuer(dir);
    expect(statSync(join(dir, 'private-key.pem')).mode & 0o777).toBe(0o600);
    const second = loadOrCreateLocalIssuer(dir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
  });

  it('signs RS256 tokens with Google-shaped claims and its own issuer', () => {
    const issuer = loadOrCreateLocalIssuer(tempDir());
    const jwt = decodeJwt(signLocalIdToken(issuer, {email: 'dev@example.com', audience: 'http://localhost:8080', nowMs: 1_750_000_000_000}));
    expect(jwt?.header).toEqual({alg: 'RS256', typ: 'JWT', kid: issuer.kid});
    expect(jwt?.payload).toMatchObject({
      iss: 'https://nasmon.local/issuer', aud: 'http://localhost:8080', email: 'dev@example.com',
      email_verified: true, iat: 1_750_000_000, exp: 1_750_003_600,
    });
  });
});

describe('npm run token (tokenFromArgs)', () => {
  it('prints a token the configured local verifier accepts', async () => {
    const dir = tempDir();
    const token = tokenFromArgs(['--email=dev@example.com'], {NASMON_LOCAL_ISSUER_DIR: dir});
    const verifier = createConfiguredVerifier({mode: 'local', audiences: ['http://localhost:8080'], localIssuerDir: dir});
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({email: 'dev@example.com'});
    expect(readFileSync(join(dir, 'private-key.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('uses --audience, else the first NASMON_AUTH_AUDIENCE', () => {
    const env = {NASMON_LOCAL_ISSUER_DIR: tempDir(), NASMON_AUTH_AUDIENCE: 'http://127.0.0.1:8091,http://other'};
    expect(decodeJwt(tokenFromArgs(['--email=a@b.c'], env))?.payload.aud).toBe('http://127.0.0.1:8091');
    expect(decodeJwt(tokenFromArgs(['--email=a@b.c', '--audience=http://x'], env))?.payload.aud).toBe('http://x');
  });

  it.each([
    [[], /--email=EMAIL is required/],
    [['--email=not-an-email'], /--email=EMAIL is required/],
    [['--email=a@b.c', '--ttl=86400'], /--ttl must be 1 to 3600 seconds/],
    [['--email=a@b.c', '--ttl=abc'], /--ttl must be/],
    [['--email=a@b.c', '--verbose'], /unknown or empty argument "--verbose"\nusage: npm run token/],
  ])('refuses %o with a usage line', (argv, message) => {
    expect(() => tokenFromArgs(argv, {NASMON_LOCAL_ISSUER_DIR: tempDir()})).toThrow(message);
  });
});
