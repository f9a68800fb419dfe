import {createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject} from 'node:crypto';
import {linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {signRs256Jwt} from './jwt.js';

// nasmon's own ID-token issuer for local runs and tests: an RSA key pair whose tokens look like
// Google's (RS256, kid, iss/aud/email/email_verified/iat/exp) but carry their own issuer, so a gate in
// google mode can never accept them. Only NASMON_AUTH_MODE=local trusts it (see shared/config.ts).

/** The `iss` of local tokens. */
export const LOCAL_ISSUER = 'https://nasmon.local/issuer';
const PRIVATE_KEY_FILE = 'private-key.pem';

/** A local issuer's key pair. */
export interface LocalIssuer {
  readonly issuer: string;
  /** Key ID: a thumbprint of the public key, so a new key pair gets a new kid. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** SPKI PEM; google-auth-library verifies with a bare public key, no certificate needed. */
  readonly publicKeyPem: string;
}

/** A fresh in-memory issuer (tests). */
export function createLocalIssuer(): LocalIssuer {
  return issuerOf(generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey);
}

/**
 * The issuer whose key lives in `dir`, generating it on first use. The key is published with a hard
 * link, so when the gate and `npm run token` start together both end up with the same key.
 */
export function loadOrCreateLocalIssuer(dir: string): LocalIssuer {
  const file = join(dir, PRIVATE_KEY_FILE);
  try {
    return issuerOf(createPrivateKey(readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const issuer = createLocalIssuer();
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, issuer.privateKey.export({type: 'pkcs8', format: 'pem'}), {mode: 0o600});
  try {
    linkSync(temp, file);
    return issuer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return issuerOf(createPrivateKey(readFileSync(file, 'utf8'))); // another process won the race
  } finally {
    unlinkSync(temp);
  }
}

/** The verifier's view of an issuer: its public keys by kid. */
export function localPublicKeys(issuer: LocalIssuer): Readonly<Record<string, string>> {
  return {[issuer.kid]: issuer.publicKeyPem};
}

/** What a local token says. */
export interface LocalTokenOptions {
  readonly email: string;
  readonly audience: string;
  /** Lifetime in seconds, default 3600 (as Google's ID tokens). */
  readonly ttlSeconds?: number;
  /** Issue time in epoch milliseconds, default now. */
  readonly nowMs?: number;
  /** Default: derived from the email, stable across tokens. */
  readonly subject?: string;
}

/** Signs an ID token from the local issuer. */
export function signLocalIdToken(issuer: LocalIssuer, options: LocalTokenOptions): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const subject = options.subject ?? createHash('sha256').update(options.email).digest('hex').slice(0, 21);
  return signRs256Jwt(
    {
      iss: issuer.issuer,
      aud: options.audience,
      sub: subject,
      email: options.email,
      email_verified: true,
      iat,
      exp: iat + (options.ttlSeconds ?? 3600),
    },
    issuer.privateKey,
    issuer.kid,
  );
}

function issuerOf(privateKey: KeyObject): LocalIssuer {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({type: 'spki', format: 'der'});
  return {
    issuer: LOCAL_ISSUER,
    kid: createHash('sha256').update(der).digest('base64url').slice(0, 16),
    privateKey,
    publicKeyPem: publicKey.export({type: 'spki', format: 'pem'}).toString(),
  };
}
