import {createSign, type KeyObject} from 'node:crypto';

// Compact JWS (RFC 7515) helpers: just enough to read a token's claims before trusting it, and to sign
// tokens for the local issuer and tests. Signature checks stay with google-auth-library.

/** A token split into its parts; header and payload are parsed but NOT yet verified. */
export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Length of the signature in bytes (0 for an unsigned `alg: none` token). */
  readonly signatureBytes: number;
}

const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** Splits and parses a compact JWT, or returns `undefined` when it is not one. Never throws. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const m = COMPACT.exec(token);
  if (!m) return undefined;
  const header = parseJsonObject(m[1]!);
  const payload = parseJsonObject(m[2]!);
  if (header === undefined || payload === undefined) return undefined;
  return {header, payload, signatureBytes: Buffer.from(m[3]!, 'base64url').length};
}

/** Signs `payload` as an RS256 JWT with `kid` in the header. */
export function signRs256Jwt(payload: Readonly<Record<string, unknown>>, privateKey: KeyObject | string, kid: string): string {
  const signingInput = `${base64url({alg: 'RS256', typ: 'JWT', kid})}.${base64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** The base64url encoding of a JSON value (a JWT header or payload). */
export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
