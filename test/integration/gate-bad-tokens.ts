// Authorization headers the gate must refuse (401) in local mode: every way a token can be missing,
// malformed, forged, expired or aimed elsewhere, plus damaged copies of a valid one.
import {createHmac} from 'node:crypto';
import fc from 'fast-check';
import {base64url, createLocalIssuer, signRs256Jwt, type LocalIssuer} from '../../shared/adapters/auth/index.js';

/** The issuer the gate trusts, its audience, and who the policy knows. */
export interface TokenKit {
  readonly issuer: LocalIssuer;
  readonly audience: string;
  /** A caller the policy lets do everything the valid requests do. */
  readonly validEmail: string;
  /** A caller no grant of the policy covers. */
  readonly unknownEmail: string;
  /** `Bearer <valid token for email>`. */
  bearer(email: string): string;
}

const stranger = createLocalIssuer();

/** Headers that fail authentication, each for its own reason. */
export function badTokens(kit: TokenKit): fc.Arbitrary<string | undefined> {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => {
    const base = {iss: kit.issuer.issuer, aud: kit.audience, sub: 'sub-1', email: kit.validEmail, email_verified: true, iat: now(), exp: now() + 3600};
    return Object.fromEntries(Object.entries({...base, ...overrides}).filter(([, value]) => value !== undefined));
  };
  const signed = (overrides: Record<string, unknown> = {}, key: LocalIssuer = kit.issuer) => signRs256Jwt(claims(overrides), key.privateKey, key.kid);
  const valid = () => kit.bearer(kit.validEmail).slice('Bearer '.length);
  const forged: Array<() => string> = [
    () => signed({iat: now() - 7200, exp: now() - 3600}),
    () => signed({aud: 'https://elsewhere.example'}),
    () => signed({iss: 'https://accounts.google.com'}),
    () => signed({email: undefined}),
    () => signed({email_verified: false}),
    () => signed({exp: now() + 7 * 86400}),
    () => signed({nbf: now() + 3600}),
    () => signed({}, stranger),
    () => `${base64url({alg: 'none', typ: 'JWT', kid: kit.issuer.kid})}.${base64url(claims())}.`,
    () => {
      const input = `${base64url({alg: 'HS256', typ: 'JWT', kid: kit.issuer.kid})}.${base64url(claims())}`;
      return `${input}.${createHmac('sha256', kit.issuer.publicKeyPem).update(input).digest('base64url')}`;
    },
    () => {
      const [header, , signature] = valid().split('.');
      return `${header}.${base64url(claims({email: 'admin@example.com'}))}.${signature}`;
    },
  ];
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', 'Basic YTpi', 'Bearer', 'Bearer  x', 'Token abc', 'Bearer a.b.c', 'Bearer ...'),
    fc.string({unit: fc.integer({min: 0x21, max: 0x7e}).map(c => String.fromCharCode(c)), minLength: 1, maxLength: 60}).map(t => `Bearer ${t}`),
    fc.constantFrom(...forged).map(make => `Bearer ${make()}`),
    fc.tuple(fc.nat(), fc.constantFrom('flip', 'cut', 'swap')).map(([n, how]) => `Bearer ${damaged(valid(), n, how)}`),
  );
}

// A valid token made invalid: a character of its payload changed (never the segment's last one,
// whose low bits base64url may ignore), cut short, or its segments reordered.
function damaged(token: string, n: number, how: string): string {
  if (how === 'cut') return token.slice(0, 1 + (n % (token.length - 1)));
  if (how === 'swap') return token.split('.').reverse().join('.');
  const start = token.indexOf('.') + 1;
  const length = token.indexOf('.', start) - start;
  const at = start + (n % (length - 1));
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}
