import {OAuth2Client} from 'google-auth-library';
import {describe, expect, it} from 'vitest';
import {createIdTokenVerifier} from '../../../../shared/adapters/auth/id-token-verifier.js';
import {isGateError} from '../../../../shared/core/gate/gate-error.js';
import {AUDIENCE, EMAIL, googleKey, googleToken, tamperedToken} from './token-kit.js';

/** A google-mode verifier on a movable clock, counting the signature checks it hands to the library. */
function countingVerifier(options: {verifiedCacheSize?: number} = {}) {
  const client = new OAuth2Client();
  client.getFederatedSignonCertsAsync = async () => ({certs: {[googleKey.kid]: googleKey.publicKeyPem}} as never);
  let signatureChecks = 0;
  const verifySigned = client.verifySignedJwtWithCertsAsync.bind(client);
  client.verifySignedJwtWithCertsAsync = async (...args) => {
    signatureChecks++;
    return verifySigned(...args);
  };
  const clock = {now: Date.now()};
  const verifier = createIdTokenVerifier({mode: 'google', audience: AUDIENCE, client, clock: () => clock.now, ...options});
  return {verifier, clock, signatureChecks: () => signatureChecks};
}

async function reasonOfRefusal(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isGateError(error)) throw new Error(`expected a GateError, got ${String(error)}`);
  const info = error.details.find(detail => detail.kind === 'ErrorInfo');
  return info?.kind === 'ErrorInfo' ? info.reason : undefined;
}

describe('createIdTokenVerifier (verified tokens)', () => {
  it('checks the signature of a reused token once', async () => {
    const {verifier, signatureChecks} = countingVerifier();
    const token = googleToken();
    for (let i = 0; i < 3; i++) await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({email: EMAIL});
    expect(signatureChecks()).toBe(1);
  });

  it('still refuses a remembered token once it has expired', async () => {
    const {verifier, clock} = countingVerifier();
    const token = googleToken();
    await verifier.verify(`Bearer ${token}`);
    clock.now += 2 * 3600_000;
    expect(await reasonOfRefusal(verifier.verify(`Bearer ${token}`))).toBe('TOKEN_EXPIRED');
  });

  it('verifies any other token afresh, however close to a remembered one', async () => {
    const {verifier, signatureChecks} = countingVerifier();
    await verifier.verify(`Bearer ${googleToken()}`);
    expect(await reasonOfRefusal(verifier.verify(`Bearer ${tamperedToken()}`))).toBe('INVALID_SIGNATURE');
    expect(signatureChecks()).toBe(2);
  });

  it('remembers nothing with a cache size of 0', async () => {
    const {verifier, signatureChecks} = countingVerifier({verifiedCacheSize: 0});
    const token = googleToken();
    await verifier.verify(`Bearer ${token}`);
    await verifier.verify(`Bearer ${token}`);
    expect(signatureChecks()).toBe(2);
  });
});
