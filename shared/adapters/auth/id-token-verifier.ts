import {OAuth2Client, type Certificates} from 'google-auth-library';
import {unauthenticated, unavailable} from '../../core/gate/gate-errors.js';
import type {Caller} from '../../core/policy/verdict.js';
import type {AuthMode} from '../../config.js';
import {decodeJwt} from './jwt.js';
import {LOCAL_ISSUER} from './local-issuer.js';
import {createVerifiedTokenCache} from './verified-token-cache.js';

/** The issuers of Google-signed ID tokens. Always passed explicitly: without them the library skips the issuer check. */
export const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'] as const;
/** Longest token accepted; Google's ID tokens are about 1 KB. */
export const MAX_TOKEN_LENGTH = 8192;
/** Default cap on `exp - now`: Google's ID tokens live one hour. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 3600;
/** Tolerated clock difference, the same as google-auth-library's. */
export const CLOCK_SKEW_SECONDS = 300;

/** Options of {@link createIdTokenVerifier}. */
export interface IdTokenVerifierOptions {
  /** Accepted `aud` values: the gate function's URL (and any custom domain in front of it). */
  readonly audience: string | readonly string[];
  readonly mode: AuthMode;
  /** Local mode: the local issuer's public keys (SPKI PEM) by kid. */
  readonly localPublicKeys?: Readonly<Record<string, string>>;
  /** Epoch milliseconds for the claim checks; google-auth-library re-checks times against the system clock. */
  readonly clock?: () => number;
  /** Google mode: where signing keys come from; default `client.getFederatedSignonCertsAsync()` (cached per Cache-Control). */
  readonly certs?: () => Promise<Certificates>;
  /** The client that verifies signatures; tests may stub its `getFederatedSignonCertsAsync`. */
  readonly client?: OAuth2Client;
  readonly maxLifetimeSeconds?: number;
  /** Verified tokens remembered, so a reused token is not verified again; default 1000, 0 turns it off. */
  readonly verifiedCacheSize?: number;
}

/** The verified identity behind a token. */
export interface VerifiedCaller extends Caller {
  /** The token's `sub`: stable even if the account's email changes. */
  readonly subject: string;
  readonly issuer: string;
}

/** Checks the `Authorization` header of one call. */
export interface IdTokenVerifier {
  /** Resolves to the caller, or rejects with a 401 GateError (503 when signing keys cannot be fetched). */
  verify(authorization: string | undefined): Promise<VerifiedCaller>;
}

type Claims = Readonly<Record<string, unknown>>;

/**
 * Creates the gate's ID-token verifier: RS256 only, issuer pinned per mode, audience, expiry, maximum
 * lifetime, a verified email. Claims are checked first (cheap, and with clear messages), the signature
 * last by google-auth-library. No message ever contains the token or the library's text (which does).
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  const audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  if (audiences.length === 0) throw new Error('createIdTokenVerifier: at least one audience is required');
  if (options.mode === 'local' && !options.localPublicKeys) throw new Error('createIdTokenVerifier: local mode needs localPublicKeys');
  const client = options.client ?? new OAuth2Client();
  const issuers: string[] = options.mode === 'google' ? [...GOOGLE_ISSUERS] : [LOCAL_ISSUER];
  const now = options.clock ?? Date.now;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const certs =
    options.mode === 'local'
      ? async () => ({...options.localPublicKeys})
      : (options.certs ?? (async () => (await client.getFederatedSignonCertsAsync()).certs));
  const rules = () => ({issuers, audiences, nowSeconds: now() / 1000, maxLifetime});
  // A cached token skips the signature (and key fetch), never the claims: it may have expired since.
  const verified = createVerifiedTokenCache<{claims: Claims; caller: VerifiedCaller}>(options.verifiedCacheSize ?? 1000);

  return {
    async verify(authorization) {
      const token = bearerToken(authorization);
      const cached = verified.get(token);
      if (cached) {
        try {
          checkClaims(cached.claims, rules());
        } catch (error) {
          verified.delete(token);
          throw error;
        }
        return cached.caller;
      }
      const jwt = decodeJwt(token);
      if (!jwt) throw unauthenticated('MALFORMED_TOKEN', 'the bearer token is not a well-formed JWT');
      const {alg, kid} = jwt.header;
      if (alg !== 'RS256' || jwt.signatureBytes === 0) {
        throw unauthenticated('UNSUPPORTED_ALGORITHM', `tokens signed with ${safe(alg)} are not accepted; ID tokens are RS256`);
      }
      if (typeof kid !== 'string' || kid === '') throw unauthenticated('MALFORMED_TOKEN', 'the token header has no key ID (kid)');
      checkClaims(jwt.payload, rules());
      const keys = await signingKeys(certs);
      if (!Object.hasOwn(keys, kid)) throw unauthenticated('UNKNOWN_SIGNING_KEY', 'the token is signed with a key the gate does not know');
      try {
        await client.verifySignedJwtWithCertsAsync(token, keys, audiences, issuers, maxLifetime + CLOCK_SKEW_SECONDS + 1);
      } catch (error) {
        throw libraryRefusal(error);
      }
      const caller = {email: jwt.payload.email as string, subject: String(jwt.payload.sub ?? ''), issuer: jwt.payload.iss as string};
      verified.set(token, {claims: jwt.payload, caller});
      return caller;
    },
  };
}

function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw unauthenticated('MISSING_TOKEN', 'missing Authorization header; send "Authorization: Bearer <Google ID token>"');
  }
  const m = /^(\S+) (\S+)$/.exec(authorization);
  if (!m || m[1]!.toLowerCase() !== 'bearer') throw unauthenticated('AUTH_SCHEME', 'the Authorization header must be "Bearer <ID token>"');
  if (m[2]!.length > MAX_TOKEN_LENGTH) throw unauthenticated('MALFORMED_TOKEN', `the bearer token is longer than ${MAX_TOKEN_LENGTH} characters`);
  return m[2]!;
}

interface ClaimRules {
  readonly issuers: readonly string[];
  readonly audiences: readonly string[];
  readonly nowSeconds: number;
  readonly maxLifetime: number;
}

function checkClaims(claims: Claims, rules: ClaimRules): void {
  const {iss, aud, exp, iat, nbf, email} = claims;
  if (typeof iss !== 'string' || !rules.issuers.includes(iss)) throw unauthenticated('WRONG_ISSUER', `the token's issuer is not ${rules.issuers.join(' or ')}`);
  if (typeof aud !== 'string' || !rules.audiences.includes(aud)) throw unauthenticated('WRONG_AUDIENCE', "the token's audience is not this gate's URL");
  if (typeof exp !== 'number' || typeof iat !== 'number' || !Number.isFinite(exp) || !Number.isFinite(iat)) {
    throw unauthenticated('MALFORMED_TOKEN', 'the token has no numeric exp and iat');
  }
  if (rules.nowSeconds > exp + CLOCK_SKEW_SECONDS) throw unauthenticated('TOKEN_EXPIRED', 'the token has expired; get a fresh one');
  const notBefore = Math.max(iat, typeof nbf === 'number' ? nbf : -Infinity);
  if (rules.nowSeconds < notBefore - CLOCK_SKEW_SECONDS) throw unauthenticated('TOKEN_NOT_YET_VALID', 'the token is not valid yet (issued in the future)');
  if (exp - rules.nowSeconds > rules.maxLifetime + CLOCK_SKEW_SECONDS) {
    throw unauthenticated('TOKEN_LIFETIME_TOO_LONG', `the token expires more than ${rules.maxLifetime} s from now`);
  }
  if (typeof email !== 'string' || email === '') {
    throw unauthenticated('MISSING_EMAIL', 'the token carries no email; request an ID token that includes it (e.g. format=full)');
  }
  if (claims.email_verified !== true && claims.email_verified !== 'true') throw unauthenticated('EMAIL_NOT_VERIFIED', "the token's email is not verified");
}

async function signingKeys(certs: () => Promise<Certificates>): Promise<Certificates> {
  try {
    return await certs();
  } catch (error) {
    throw Object.assign(unavailable("could not fetch Google's token signing keys; retry shortly", 5, 'SIGNING_KEYS_UNAVAILABLE'), {cause: error});
  }
}

// google-auth-library's messages embed the whole token or payload, so only their kind is kept.
const LIBRARY_REFUSALS: readonly [string, string, string][] = [
  ['Invalid token signature', 'INVALID_SIGNATURE', 'the token signature is not valid'],
  ['No pem found', 'UNKNOWN_SIGNING_KEY', 'the token is signed with a key the gate does not know'],
  ['Token used too late', 'TOKEN_EXPIRED', 'the token has expired; get a fresh one'],
  ['Token used too early', 'TOKEN_NOT_YET_VALID', 'the token is not valid yet (issued in the future)'],
  ['Expiration time too far', 'TOKEN_LIFETIME_TOO_LONG', 'the token expires too far in the future'],
  ['Invalid issuer', 'WRONG_ISSUER', "the token's issuer is not accepted"],
  ['Wrong recipient', 'WRONG_AUDIENCE', "the token's audience is not this gate's URL"],
];

function libraryRefusal(error: unknown): Error {
  const text = error instanceof Error ? error.message : '';
  const [, reason, message] = LIBRARY_REFUSALS.find(([prefix]) => text.startsWith(prefix)) ?? ['', 'INVALID_TOKEN', 'the token could not be verified'];
  return unauthenticated(reason, message);
}

function safe(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9]{1,16}$/.test(value) ? value : 'an unknown algorithm';
}
