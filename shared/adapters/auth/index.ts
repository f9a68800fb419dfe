// Caller authentication for the gate: Google ID tokens in production, nasmon's local issuer locally.
export * from './configured-verifier.js';
export * from './id-token-verifier.js';
export * from './jwt.js';
export * from './local-issuer.js';
