import type {AuthConfig} from '../../config.js';
import {createIdTokenVerifier, type IdTokenVerifier} from './id-token-verifier.js';
import {loadOrCreateLocalIssuer, localPublicKeys} from './local-issuer.js';

/** The verifier an {@link AuthConfig} asks for; local mode loads (or creates) the local issuer's key. */
export function createConfiguredVerifier(config: AuthConfig): IdTokenVerifier {
  if (config.mode === 'google') return createIdTokenVerifier({mode: 'google', audience: config.audiences});
  const issuer = loadOrCreateLocalIssuer(config.localIssuerDir);
  return createIdTokenVerifier({mode: 'local', audience: config.audiences, localPublicKeys: localPublicKeys(issuer)});
}
