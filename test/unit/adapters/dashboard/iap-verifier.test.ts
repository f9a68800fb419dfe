import {describe, expect, it, vi} from 'vitest';
import {createIapVerifier} from '../../../../shared/adapters/auth/iap-verifier.js';
import {IAP_AUDIENCE, IAP_KEYS, iapAssertion} from './iap-kit.js';

const verifier = (keys = async () => IAP_KEYS) => createIapVerifier({audiences: [IAP_AUDIENCE], keys});
const reasonOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: {httpStatus?: number; details?: Array<{reason?: string}>}) =>
  `${error.httpStatus} ${error.details?.[0]?.reason}`);

describe('createIapVerifier', () => {
  it('accepts IAP\'s assertion and names the viewer by its email', async () => {
    await expect(verifier().verify(iapAssertion())).resolves.toEqual({email: 'bob@example.com', subject: 'accounts.google.com:1234', issuer: 'https://cloud.google.com/iap'});
  });

  const [header, payload] = iapAssertion().split('.');
  it.each<[string, string | undefined, string]>([
    ['no header at all', undefined, '401 MISSING_IAP_ASSERTION'],
    ['garbage', 'not-a-jwt', '401 MALFORMED_IAP_ASSERTION'],
    ['an unsigned token', `${header}.${payload}.`, '401 MALFORMED_IAP_ASSERTION'],
    ['an RS256 token (IAP signs with ES256)', iapAssertion({}, {alg: 'RS256'}), '401 MALFORMED_IAP_ASSERTION'],
    ['another issuer (a Google ID token, say)', iapAssertion({iss: 'https://accounts.google.com'}), '401 WRONG_ISSUER'],
    ['another backend\'s assertion', iapAssertion({aud: '/projects/1/global/backendServices/2'}), '401 WRONG_AUDIENCE'],
    ['an expired assertion', iapAssertion({exp: Math.floor(Date.now() / 1000) - 3600}), '401 TOKEN_EXPIRED'],
    ['no email', iapAssertion({email: undefined}), '401 MISSING_EMAIL'],
    ['a key IAP does not publish', iapAssertion({}, {kid: 'other'}), '401 UNKNOWN_SIGNING_KEY'],
    ['a payload changed after signing', `${header}.${iapAssertion({email: 'admin@example.com'}).split('.')[1]}.${iapAssertion().split('.')[2]}`, '401 INVALID_SIGNATURE'],
  ])('refuses %s', async (_, assertion, reason) => {
    expect(await reasonOf(verifier().verify(assertion))).toBe(reason);
  });

  it('answers 503 when IAP\'s keys cannot be fetched', async () => {
    expect(await reasonOf(verifier(async () => Promise.reject(new Error('offline'))).verify(iapAssertion()))).toBe('503 SIGNING_KEYS_UNAVAILABLE');
  });

  it('fetches IAP\'s keys once, not per request', async () => {
    const keys = vi.fn(async () => IAP_KEYS);
    const iap = verifier(keys);

    for (let i = 0; i < 3; i++) await iap.verify(iapAssertion());

    expect(keys).toHaveBeenCalledTimes(1);
  });
});
