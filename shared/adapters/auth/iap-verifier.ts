import {OAuth2Client} from 'google-auth-library';
import {unauthenticated, unavailable} from '../../core/gate/gate-errors.js';
import type {VerifiedCaller} from './id-token-verifier.js';
import {CLOCK_SKEW_SECONDS} from './id-token-verifier.js';
import {decodeJwt} from './jwt.js';

// Identity-Aware Proxy in front of a function signs every request it lets through with an ES256 JWT
// in `x-goog-iap-jwt-assertion` (https://cloud.google.com/iap/docs/signed-headers-howto). The header
// only proves anything once its signature, issuer and audience are checked: without IAP in front,
// anyone could send one.

/** The header IAP adds. */
export const IAP_HEADER = 'x-goog-iap-jwt-assertion';
/** The `iss` of IAP's assertions. */
export const IAP_ISSUER = 'https://cloud.google.com/iap';
/** IAP's assertions live 10 minutes; more than an hour is not one of them. */
const MAX_LIFETIME_SECONDS = 3600;

/** Options of {@link createIapVerifier}. */
export interface IapVerifierOptions {
  /** `/projects/NUMBER/global/backendServices/ID` (or `/projects/NUMBER/apps/PROJECT` for App Engine). */
  readonly audiences: readonly string[];
  /** IAP's public keys (PEM) by kid; default `client.getIapPublicKeys()`. Tests pass their own. */
  readonly keys?: () => Promise<Record<string, string>>;
  readonly client?: OAuth2Client;
  /** Epoch milliseconds for the claim checks. */
  readonly clock?: () => number;
}

/** Checks IAP's assertion header of one request. */
export interface IapVerifier {
  /** Resolves to the viewer, or rejects with a 401 GateError (503 when IAP's keys cannot be fetched). */
  verify(assertion: string | undefined): Promise<VerifiedCaller>;
}

/** Creates a verifier of IAP's signed header: ES256 only, issuer and audience pinned, a fresh token with an email. */
export function createIapVerifier(options: IapVerifierOptions): IapVerifier {
  if (options.audiences.length === 0) throw new Error('createIapVerifier: at least one audience is required');
  const client = options.client ?? new OAuth2Client();
  const now = options.clock ?? Date.now;
  const keys = cachedKeys(options.keys ?? (async () => (await client.getIapPublicKeys()).pubkeys), now);
  return {
    async verify(assertion) {
      if (!assertion) throw unauthenticated('MISSING_IAP_ASSERTION', `missing ${IAP_HEADER}; open the dashboard through its Identity-Aware Proxy`);
      const jwt = decodeJwt(assertion);
      if (!jwt || jwt.header.alg !== 'ES256' || typeof jwt.header.kid !== 'string' || jwt.signatureBytes === 0) {
        throw unauthenticated('MALFORMED_IAP_ASSERTION', `${IAP_HEADER} is not an ES256 JWT with a key ID`);
      }
      const {iss, aud, exp, iat, email, sub} = jwt.payload;
      const nowSeconds = now() / 1000;
      if (iss !== IAP_ISSUER) throw unauthenticated('WRONG_ISSUER', `the assertion's issuer is not ${IAP_ISSUER}`);
      if (typeof aud !== 'string' || !options.audiences.includes(aud)) throw unauthenticated('WRONG_AUDIENCE', "the assertion's audience is not this dashboard's backend");
      if (typeof exp !== 'number' || typeof iat !== 'number' || nowSeconds > exp + CLOCK_SKEW_SECONDS || iat > nowSeconds + CLOCK_SKEW_SECONDS) {
        throw unauthenticated('TOKEN_EXPIRED', 'the IAP assertion has expired or is not valid yet');
      }
      if (typeof email !== 'string' || email === '') throw unauthenticated('MISSING_EMAIL', 'the IAP assertion carries no email');
      let pems: Record<string, string>;
      try {
        pems = await keys(jwt.header.kid);
      } catch (error) {
        throw Object.assign(unavailable("could not fetch IAP's signing keys; retry shortly", 5, 'SIGNING_KEYS_UNAVAILABLE'), {cause: error});
      }
      if (!Object.hasOwn(pems, jwt.header.kid)) throw unauthenticated('UNKNOWN_SIGNING_KEY', 'the assertion is signed with a key IAP does not publish');
      try {
        await client.verifySignedJwtWithCertsAsync(assertion, pems, [...options.audiences], [IAP_ISSUER], MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS);
      } catch {
        // The library's message quotes the token; only the fact is kept.
        throw unauthenticated('INVALID_SIGNATURE', 'the IAP assertion could not be verified');
      }
      return {email, subject: typeof sub === 'string' ? sub : '', issuer: IAP_ISSUER};
    },
  };
}

/**
 * IAP's keys, fetched once an hour rather than per request (the library does not cache them); a key
 * ID not yet known (IAP rotated its keys) fetches again, at most once a minute.
 */
function cachedKeys(fetchKeys: () => Promise<Record<string, string>>, now: () => number) {
  let cached: {keys: Record<string, string>; atMs: number} | undefined;
  return async (kid: string): Promise<Record<string, string>> => {
    const age = cached ? now() - cached.atMs : Infinity;
    if (!cached || age > 3_600_000 || (!Object.hasOwn(cached.keys, kid) && age > 60_000)) cached = {keys: await fetchKeys(), atMs: now()};
    return cached.keys;
  };
}
