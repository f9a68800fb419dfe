// Who is looking at the dashboard. In production the same identities as the gate: a Google-signed
// ID token (`Authorization: Bearer`, e.g. through `gcloud run services proxy`), or the assertion
// Identity-Aware Proxy adds for a browser session. Open only when configured so for a local run.
import type {IncomingHttpHeaders} from 'node:http';
import type {DashboardAuthConfig} from '../../config.js';
import type {Caller} from '../../core/policy/index.js';
import {createConfiguredVerifier} from '../auth/configured-verifier.js';
import {createIapVerifier, IAP_HEADER, type IapVerifier} from '../auth/iap-verifier.js';
import type {IdTokenVerifier} from '../auth/id-token-verifier.js';

/** The viewer of a request (undefined: the dashboard runs open), or a rejection with a 401/503 GateError. */
export type DashboardAuthenticator = (headers: IncomingHttpHeaders) => Promise<Caller | undefined>;

/** Verifiers to use instead of those the configuration would build (tests: offline keys). */
export interface DashboardVerifiers {
  readonly idToken?: IdTokenVerifier;
  readonly iap?: IapVerifier;
}

/** The authenticator a configuration asks for. */
export function createDashboardAuthenticator(config: DashboardAuthConfig, verifiers: DashboardVerifiers = {}): DashboardAuthenticator {
  if (config.mode === 'none') return async () => undefined;
  const iap = verifiers.iap ?? (config.iapAudiences.length > 0 ? createIapVerifier({audiences: config.iapAudiences}) : undefined);
  const idToken = verifiers.idToken ?? (config.idTokenAudiences.length > 0
    ? createConfiguredVerifier({mode: config.idTokenMode, audiences: config.idTokenAudiences, localIssuerDir: config.localIssuerDir})
    : undefined);
  if (!iap && !idToken) throw new Error('createDashboardAuthenticator: google mode needs an ID-token or an IAP audience');
  return async headers => {
    const assertion = single(headers[IAP_HEADER]);
    // A request that carries IAP's header is judged by it alone: a bad assertion is never excused by a token.
    if (iap && assertion !== undefined) return iap.verify(assertion);
    if (idToken && (headers.authorization !== undefined || !iap)) return idToken.verify(headers.authorization);
    return iap!.verify(undefined);
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
