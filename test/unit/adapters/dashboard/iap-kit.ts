// IAP assertions for tests: an ES256 key standing in for one of IAP's, and signed headers with any
// claims. Real assertions are ES256 JWTs from https://cloud.google.com/iap with the backend as `aud`.
import {createSign, generateKeyPairSync} from 'node:crypto';
import {base64url} from '../../../../shared/adapters/auth/jwt.js';

export const IAP_AUDIENCE = '/projects/123456789012/global/backendServices/987654321';
export const IAP_KID = 'iap-test-key';

const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
/** IAP's published keys as the verifier gets them: PEM by kid. */
export const IAP_KEYS: Record<string, string> = {[IAP_KID]: publicKey.export({type: 'spki', format: 'pem'}).toString()};

/** An assertion signed with the test key; claim overrides (`undefined` removes one) and header overrides. */
export function iapAssertion(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const payload = Object.fromEntries(Object.entries({
    iss: 'https://cloud.google.com/iap', aud: IAP_AUDIENCE, email: 'bob@example.com', sub: 'accounts.google.com:1234', iat, exp: iat + 600, ...claims,
  }).filter(([, value]) => value !== undefined));
  const input = `${base64url({alg: 'ES256', kid: IAP_KID, typ: 'JWT', ...header})}.${base64url(payload)}`;
  return `${input}.${createSign('SHA256').update(input).sign({key: privateKey, dsaEncoding: 'ieee-p1363'}).toString('base64url')}`;
}
