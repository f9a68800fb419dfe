// A small HTTP function built from the gate's edge pieces, served by functions-framework over real
// loopback HTTP: guard installed, token verified (Google mode, certificate fetch stubbed), request
// parsed, and the parsed GateRequest echoed with 200 — or the error envelope.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {createGateHandler} from '../../shared/adapters/http/gate-handler.js';
import {installEdgeGuard} from '../../shared/adapters/http/install-edge-guard.js';
import {stubbedGoogleVerifier} from '../unit/adapters/auth/token-kit.js';

export {AUDIENCE, EMAIL, googleToken, hs256Token, strangerKey, tamperedToken, unsignedToken} from '../unit/adapters/auth/token-kit.js';

/** The function under test; its name is the one the test server is built for. */
export const FUNCTION_NAME = 'gateEdgeUnderTest';
/** A variant whose logic never finishes, to test the time limit. */
export const SLOW_FUNCTION_NAME = 'gateEdgeSlowUnderTest';

installEdgeGuard();
const verifier = stubbedGoogleVerifier();
ff.http(FUNCTION_NAME, createGateHandler({verifier}, async ({caller, request}) => ({body: {caller, request}})));
ff.http(SLOW_FUNCTION_NAME, createGateHandler({verifier, timeoutMs: 100}, () => new Promise(() => {})));

/** A running test server. */
export interface EdgeServer {
  readonly port: number;
  send(request: RawRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

/** A request sent byte-for-byte: the path is not normalised (fetch would resolve "..", "."). */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Send the body chunked, without Content-Length. */
  readonly chunked?: boolean;
}

/** What came back. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** Serves `name` on 127.0.0.1 with a keep-alive agent. */
export async function startEdgeServer(name = FUNCTION_NAME): Promise<EdgeServer> {
  const server = getTestServer(name).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({keepAlive: true, maxSockets: 8});
  return {
    port,
    send: request => send(port, agent, request),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function send(port: number, agent: http.Agent, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {...request.headers};
    if (request.body !== undefined && !request.chunked) headers['content-length'] = Buffer.byteLength(request.body);
    const req = http.request({host: '127.0.0.1', port, agent, method: request.method ?? 'GET', path: request.path, headers}, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** Bearer header of a valid token. */
export function bearer(token: string): Record<string, string> {
  return {authorization: `Bearer ${token}`};
}

/** Checks a response is Google's error envelope for its status, without stack traces or internals. */
export function envelopeProblems(response: RawResponse): string[] {
  const problems: string[] = [];
  if (!String(response.headers['content-type']).startsWith('application/json')) problems.push(`content-type ${response.headers['content-type']}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    return [...problems, `not JSON: ${response.text.slice(0, 120)}`];
  }
  const error = (parsed as {error?: Record<string, unknown>}).error;
  if (!error || typeof error !== 'object') return [...problems, 'no error member'];
  if (error.code !== response.status) problems.push(`error.code ${String(error.code)} != ${response.status}`);
  if (typeof error.status !== 'string' || !/^[A-Z_]+$/.test(error.status)) problems.push(`error.status ${String(error.status)}`);
  if (typeof error.message !== 'string' || error.message === '') problems.push('empty message');
  if (!Array.isArray(error.details)) problems.push('details is not an array');
  if (/\n\s+at |\(\S+:\d+:\d+\)|node_modules|\/work\/|SyntaxError|TypeError/.test(response.text)) problems.push('leaks internals');
  return problems;
}

/** The parsed error member of an envelope response. */
export function errorOf(response: RawResponse): {code: number; status: string; message: string; details: Record<string, unknown>[]} {
  return (JSON.parse(response.text) as {error: never}).error;
}
