import {OAuth2Client} from 'google-auth-library';
import {describe, expect, it} from 'vitest';
import {isGateError, type GateError} from '../../../../shared/core/gate/gate-error.js';
import {createIdTokenVerifier} from '../../../../shared/adapters/auth/id-token-verifier.js';
import {createLocalIssuer, localPublicKeys, signLocalIdToken} from '../../../../shared/adapters/auth/local-issuer.js';
import {signRs256Jwt} from '../../../../shared/adapters/auth/jwt.js';
import {
  AUDIENCE, EMAIL, googleKey, googleToken, hs256Token, strangerKey, stubbedGoogleVerifier, tamperedToken, unsignedToken,
} from './token-kit.js';

async function refusal(promise: Promise<unknown>): Promise<GateError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isGateError(error)) throw new Error(`expected a GateError, got ${String(error)}`);
  return error;
}

function reasonOf(error: GateError): string | undefined {
  const info = error.details.find(detail => detail.kind === 'ErrorInfo');
  return info?.kind === 'ErrorInfo' ? info.reason : undefined;
}

describe('createIdTokenVerifier (google mode)', () => {
  const verifier = stubbedGoogleVerifier();

  it('returns the caller of a valid Google ID token', async () => {
    await expect(verifier.verify(`Bearer ${googleToken()}`)).resolves.toEqual({
      email: EMAIL, subject: '110169484474386276334', issuer: 'https://accounts.google.com',
    });
  });

  it('accepts the bare issuer form and a lowercase scheme', async () => {
    await expect(verifier.verify(`bearer ${googleToken({iss: 'accounts.google.com'})}`)).resolves.toMatchObject({email: EMAIL});
  });

  const refusals: [string, () => string | undefined, string, RegExp][] = [
    ['a missing header', () => undefined, 'MISSING_TOKEN', /missing Authorization header/],
    ['an empty header', () => '   ', 'MISSING_TOKEN', /missing Authorization header/],
    ['a Basic scheme', () => 'Basic dXNlcjpwYXNz', 'AUTH_SCHEME', /must be "Bearer <ID token>"/],
    ['Bearer without a token', () => 'Bearer', 'AUTH_SCHEME', /Bearer/],
    ['two spaces after Bearer', () => `Bearer  ${googleToken()}`, 'AUTH_SCHEME', /Bearer/],
    ['a token that is not a JWT', () => 'Bearer not-a-jwt', 'MALFORMED_TOKEN', /not a well-formed JWT/],
    ['a JWT whose payload is not JSON', () => 'Bearer eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln', 'MALFORMED_TOKEN', /well-formed/],
    ['an over-long token', () => `Bearer ${'a'.repeat(9000)}`, 'MALFORMED_TOKEN', /longer than 8192/],
    ['alg none', () => `Bearer ${unsignedToken()}`, 'UNSUPPORTED_ALGORITHM', /none are not accepted; ID tokens are RS256/],
    ['HS256 keyed with the public key', () => `Bearer ${hs256Token()}`, 'UNSUPPORTED_ALGORITHM', /HS256 are not accepted/],
    ['an unknown kid', () => `Bearer ${googleToken({}, strangerKey)}`, 'UNKNOWN_SIGNING_KEY', /key the gate does not know/],
    ['a tampered payload', () => `Bearer ${tamperedToken()}`, 'INVALID_SIGNATURE', /signature is not valid/],
    ['a wrong audience', () => `Bearer ${googleToken({aud: 'https://elsewhere.example'})}`, 'WRONG_AUDIENCE', /audience is not this gate's URL/],
    ['an audience list', () => `Bearer ${googleToken({aud: [AUDIENCE]})}`, 'WRONG_AUDIENCE', /audience/],
    ['a foreign issuer', () => `Bearer ${googleToken({iss: 'https://evil.example'})}`, 'WRONG_ISSUER', /issuer is not accounts.google.com/],
    ['the local issuer', () => `Bearer ${googleToken({iss: 'https://nasmon.local/issuer'})}`, 'WRONG_ISSUER', /issuer/],
    ['an expired token', () => `Bearer ${googleToken({iat: nowS() - 7200, exp: nowS() - 3600})}`, 'TOKEN_EXPIRED', /expired/],
    ['a token issued in the future', () => `Bearer ${googleToken({iat: nowS() + 3600, exp: nowS() + 3700})}`, 'TOKEN_NOT_YET_VALID', /not valid yet/],
    ['a not-before in the future', () => `Bearer ${googleToken({nbf: nowS() + 3600})}`, 'TOKEN_NOT_YET_VALID', /not valid yet/],
    ['an expiry two days ahead', () => `Bearer ${googleToken({exp: nowS() + 2 * 86400})}`, 'TOKEN_LIFETIME_TOO_LONG', /expires more than 3600 s/],
    ['no exp', () => `Bearer ${googleToken({exp: undefined})}`, 'MALFORMED_TOKEN', /numeric exp and iat/],
    ['a string exp', () => `Bearer ${googleToken({exp: 'tomorrow'})}`, 'MALFORMED_TOKEN', /numeric exp/],
    ['no email', () => `Bearer ${googleToken({email: undefined})}`, 'MISSING_EMAIL', /carries no email/],
    ['an unverified email', () => `Bearer ${googleToken({email_verified: false})}`, 'EMAIL_NOT_VERIFIED', /not verified/],
  ];

  it.each(refusals)('refuses %s with a 401 that explains why', async (_, header, reason, message) => {
    const error = await refusal(verifier.verify(header()));
    expect(error.httpStatus).toBe(401);
    expect(error.status).toBe('UNAUTHENTICATED');
    expect(reasonOf(error)).toBe(reason);
    expect(error.message).toMatch(message);
    expect(error.headers['WWW-Authenticate']).toMatch(/^Bearer /);
  });

  it('never puts the token or its payload into the message', async () => {
    for (const token of [tamperedToken(), googleToken({aud: 'x'}), googleToken({}, strangerKey), unsignedToken()]) {
      const error = await refusal(verifier.verify(`Bearer ${token}`));
      for (const part of token.split('.')) if (part.length > 8) expect(JSON.stringify(error)).not.toContain(part);
      expect(error.message).not.toContain(EMAIL);
    }
  });

  it('answers 503, not 401, when Google signing keys cannot be fetched', async () => {
    const client = new OAuth2Client();
    client.getFederatedSignonCertsAsync = async () => {
      throw new Error('Failed to retrieve verification certificates: getaddrinfo ENOTFOUND');
    };
    const error = await refusal(createIdTokenVerifier({mode: 'google', audience: AUDIENCE, client}).verify(`Bearer ${googleToken()}`));
    expect(error.httpStatus).toBe(503);
    expect(error.message).not.toMatch(/ENOTFOUND/);
  });

  it('checks claims against the injected clock', async () => {
    const later = stubbedGoogleVerifier({clock: () => Date.now() + 2 * 3600_000});
    expect(reasonOf(await refusal(later.verify(`Bearer ${googleToken()}`)))).toBe('TOKEN_EXPIRED');
  });

  it('always hands google-auth-library the pinned issuers (omitting them disables its issuer check)', async () => {
    const client = new OAuth2Client();
    client.getFederatedSignonCertsAsync = async () => ({certs: {[googleKey.kid]: googleKey.publicKeyPem}} as never);
    const calls: unknown[][] = [];
    const verifySigned = client.verifySignedJwtWithCertsAsync.bind(client);
    client.verifySignedJwtWithCertsAsync = async (...args) => {
      calls.push(args);
      return verifySigned(...args);
    };
    await createIdTokenVerifier({mode: 'google', audience: AUDIENCE, client}).verify(`Bearer ${googleToken()}`);
    expect(calls[0]?.[2]).toEqual([AUDIENCE]);
    expect(calls[0]?.[3]).toEqual(['accounts.google.com', 'https://accounts.google.com']);
  });

  it('accepts any of several configured audiences', async () => {
    const client = new OAuth2Client();
    client.getFederatedSignonCertsAsync = async () => ({certs: {[googleKey.kid]: googleKey.publicKeyPem}} as never);
    const verifier2 = createIdTokenVerifier({mode: 'google', audience: ['https://gate.example', AUDIENCE], client});
    await expect(verifier2.verify(`Bearer ${googleToken()}`)).resolves.toMatchObject({email: EMAIL});
  });
});

describe('createIdTokenVerifier (local mode)', () => {
  const issuer = createLocalIssuer();
  const verifier = createIdTokenVerifier({mode: 'local', audience: AUDIENCE, localPublicKeys: localPublicKeys(issuer)});

  it('accepts tokens of the local issuer', async () => {
    const token = signLocalIdToken(issuer, {email: 'dev@example.com', audience: AUDIENCE});
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({email: 'dev@example.com', issuer: 'https://nasmon.local/issuer'});
  });

  it('refuses Google-issued tokens, even signed with the local key', async () => {
    const token = signRs256Jwt({...JSON.parse(Buffer.from(googleToken().split('.')[1]!, 'base64url').toString())}, issuer.privateKey, issuer.kid);
    expect(reasonOf(await refusal(verifier.verify(`Bearer ${token}`)))).toBe('WRONG_ISSUER');
  });

  it('refuses local tokens signed by another local key', async () => {
    const other = createLocalIssuer();
    const token = signLocalIdToken(other, {email: 'dev@example.com', audience: AUDIENCE});
    expect(reasonOf(await refusal(verifier.verify(`Bearer ${token}`)))).toBe('UNKNOWN_SIGNING_KEY');
  });

  it('refuses a local token in google mode', async () => {
    const token = signLocalIdToken(issuer, {email: 'dev@example.com', audience: AUDIENCE});
    expect(reasonOf(await refusal(stubbedGoogleVerifier().verify(`Bearer ${token}`)))).toBe('WRONG_ISSUER');
  });

  it('cannot be created without keys or audience', () => {
    expect(() => createIdTokenVerifier({mode: 'local', audience: AUDIENCE})).toThrow(/localPublicKeys/);
    expect(() => createIdTokenVerifier({mode: 'google', audience: []})).toThrow(/audience/);
  });
});

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}
