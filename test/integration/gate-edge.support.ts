// A small HTTP function built from the gate's edge pieces, served by functions-framework over real
// loopback HTTP: guard installed, token verified (Google mode, certificate fetch stubbed), request
// parsed, and the parsed GateRequest echoed with 200 — or the error envelope.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {createGateHandler} from '../../shared/adapters/http/gate-handler.js';
import {createCallerRateLimit} from '../../shared/core/gate/caller-rate-limit.js';
import {installEdgeGuard} from '../../shared/adapters/http/install-edge-guard.js';
import {stubbedGoogleVerifier} from '../unit/adapters/auth/token-kit.js';
import {sendRaw, type RawRequest, type RawResponse} from './raw-http.support.js';

export {AUDIENCE, EMAIL, googleToken, hs256Token, strangerKey, tamperedToken, unsignedToken} from '../unit/adapters/auth/token-kit.js';
export {envelopeProblems, errorOf, type RawRequest, type RawResponse} from './raw-http.support.js';

/** The function under test; its name is the one the test server is built for. */
export const FUNCTION_NAME = 'gateEdgeUnderTest';
/** A variant whose logic never finishes, to test the time limit. */
export const SLOW_FUNCTION_NAME = 'gateEdgeSlowUnderTest';
/** A variant with a per-caller limit of 6 calls a minute and a burst of 2, on a clock the test holds still. */
export const LIMITED_FUNCTION_NAME = 'gateEdgeLimitedUnderTest';

installEdgeGuard();
const verifier = stubbedGoogleVerifier();
ff.http(FUNCTION_NAME, createGateHandler({verifier}, async ({caller, request}) => ({body: {caller, request}})));
ff.http(SLOW_FUNCTION_NAME, createGateHandler({verifier, timeoutMs: 100}, () => new Promise(() => {})));
ff.http(LIMITED_FUNCTION_NAME, createGateHandler(
  {verifier, rateLimit: createCallerRateLimit({perMinute: 6, burst: 2}), nowMs: () => 0},
  async ({caller}) => ({body: {caller}}),
));

/** A running test server. */
export interface EdgeServer {
  readonly port: number;
  send(request: RawRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Serves `name` on 127.0.0.1 with a keep-alive agent. */
export async function startEdgeServer(name = FUNCTION_NAME): Promise<EdgeServer> {
  const server = getTestServer(name).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({keepAlive: true, maxSockets: 8});
  return {
    port,
    send: request => sendRaw(port, agent, request),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

/** Bearer header of a valid token. */
export function bearer(token: string): Record<string, string> {
  return {authorization: `Bearer ${token}`};
}

