// Test tokens: a Google-like signing key (certs stubbed into the verifier) and every bad variant the
// gate must refuse. Real Google tokens are RS256 JWTs with these claims (toolchain.md §7).
import {createHmac} from 'node:crypto';
import {OAuth2Client} from 'google-auth-library';
import {base64url, signRs256Jwt} from '../../../../shared/adapters/auth/jwt.js';
import {createLocalIssuer, type LocalIssuer} from '../../../../shared/adapters/auth/local-issuer.js';
import {createIdTokenVerifier, type IdTokenVerifier} from '../../../../shared/adapters/auth/id-token-verifier.js';

// The library's CertificateFormat enum is not exported; its PEM member's value is the string 'PEM'.
type CertFormat = Awaited<ReturnType<OAuth2Client['getFederatedSignonCertsAsync']>>['format'];

export const AUDIENCE = 'https://us-central1-demo-nasmon.cloudfunctions.net/nasJobsApi';
export const EMAIL = 'pipeline@demo-nasmon.iam.gserviceaccount.com';

/** A key pair standing in for one of Google's signing keys (created once per test file). */
export const googleKey: LocalIssuer = createLocalIssuer();
/** A key Google never published. */
export const strangerKey: LocalIssuer = createLocalIssuer();

/** Valid Google ID-token claims at `nowMs`, with overrides (`undefined` removes a claim). */
export function claims(overrides: Record<string, unknown> = {}, nowMs = Date.now()): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  const base: Record<string, unknown> = {
    iss: 'https://accounts.google.com', aud: AUDIENCE, sub: '110169484474386276334', azp: EMAIL,
    email: EMAIL, email_verified: true, iat, exp: iat + 3600,
  };
  const merged = {...base, ...overrides};
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** An RS256 token signed by `key` (Google's stand-in by default). */
export function googleToken(overrides: Record<string, unknown> = {}, key: LocalIssuer = googleKey): string {
  return signRs256Jwt(claims(overrides), key.privateKey, key.kid);
}

/** An unsigned token (`alg: none`), as in the classic JWT bypass. */
export function unsignedToken(overrides: Record<string, unknown> = {}): string {
  return `${base64url({alg: 'none', typ: 'JWT', kid: googleKey.kid})}.${base64url(claims(overrides))}.`;
}

/** An HS256 token keyed with the public key PEM, as in the classic algorithm-confusion attack. */
export function hs256Token(overrides: Record<string, unknown> = {}): string {
  const input = `${base64url({alg: 'HS256', typ: 'JWT', kid: googleKey.kid})}.${base64url(claims(overrides))}`;
  return `${input}.${createHmac('sha256', googleKey.publicKeyPem).update(input).digest('base64url')}`;
}

/** A valid token whose payload was changed after signing (here: another email). */
export function tamperedToken(): string {
  const [header, , signature] = googleToken().split('.');
  return `${header}.${base64url(claims({email: 'admin@evil.example'}))}.${signature}`;
}

/** A google-mode verifier whose certificate fetch is stubbed to serve `googleKey` (no network). */
export function stubbedGoogleVerifier(options: {clock?: () => number} = {}): IdTokenVerifier {
  const client = new OAuth2Client();
  client.getFederatedSignonCertsAsync = async () => ({certs: {[googleKey.kid]: googleKey.publicKeyPem}, format: 'PEM' as CertFormat});
  return createIdTokenVerifier({mode: 'google', audience: AUDIENCE, client, ...options});
}
