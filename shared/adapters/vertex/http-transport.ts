import {NasmonError} from '../../errors.js';
import {parseGoogleError} from '../../core/vertex/parse-google-error.js';
import {VertexTransportError} from './transport-error.js';

/** The request a {@link FetchLike} receives. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

/** The part of a fetch Response the client reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: {get(name: string): string | null};
  text(): Promise<string>;
}

/** The part of `fetch` the client uses: the global fetch fits, and so does a test fake. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** Anything that yields an OAuth2 access token: GoogleAuth (a string) or an AuthClient (`{token}`). */
export interface AccessTokenSource {
  getAccessToken(): Promise<string | null | undefined | {token?: string | null | undefined}>;
}

/** One HTTP exchange with Vertex. */
export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
}

/** What {@link sendVertexRequest} needs from the outside. */
export interface HttpTransport {
  readonly fetch: FetchLike;
  readonly auth: AccessTokenSource;
  readonly timeoutMs: number;
  /** Epoch ms; only used to read a `Retry-After` date. */
  readonly now: () => number;
}

/**
 * Sends one request and returns the parsed JSON of a 2xx response. Throws VertexApiError for error
 * responses and VertexTransportError when no complete response arrived within `timeoutMs`.
 */
export async function sendVertexRequest(call: HttpCall, transport: HttpTransport): Promise<unknown> {
  const headers = {authorization: `Bearer ${await accessToken(transport.auth)}`, accept: 'application/json'};
  const controller = new AbortController();
  // The timer covers reading the body too, so a server that stalls mid-body cannot hang the caller.
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
  try {
    const response = await transport.fetch(call.url, {
      method: call.method,
      signal: controller.signal,
      ...(call.body === undefined
        ? {headers}
        : {headers: {...headers, 'content-type': 'application/json'}, body: JSON.stringify(call.body)}),
    });
    const text = await readText(call, response, controller.signal);
    return decodeResponse(call, response, text, transport.now());
  } catch (error) {
    if (error instanceof NasmonError) throw error;
    if (controller.signal.aborted) {
      throw new VertexTransportError('timeout', `${describe(call)} timed out after ${transport.timeoutMs} ms`, {cause: error});
    }
    throw new VertexTransportError('network', `${describe(call)} failed: ${messageOf(error)}`, {cause: error});
  } finally {
    clearTimeout(timer);
  }
}

function decodeResponse(call: HttpCall, response: FetchResponse, text: string, now: number): unknown {
  const json = parseJson(text);
  if (response.status >= 200 && response.status < 300) {
    if (text.trim() === '') return {}; // an empty body is a valid empty message (cancel answers `{}`)
    if (json === undefined) {
      throw new VertexTransportError('malformed-body', `${describe(call)} answered ${response.status} with a body that is not complete JSON`);
    }
    return json;
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), now);
  throw parseGoogleError(response.status, json ?? text, retryAfterSeconds === undefined ? {} : {retryAfterSeconds});
}

// The status line has arrived, so the server is done with the request even if the body breaks off.
async function readText(call: HttpCall, response: FetchResponse, signal: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal.aborted) throw error; // reported as a timeout by the caller
    if (response.status >= 200 && response.status < 300) {
      throw new VertexTransportError('truncated', `${describe(call)} answered ${response.status} but the body broke off`, {cause: error});
    }
    return ''; // an error status whose body was lost still says enough
  }
}

/** Reads a `Retry-After` header (delay-seconds or an HTTP date) as seconds from `now`. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

async function accessToken(auth: AccessTokenSource): Promise<string> {
  let token: Awaited<ReturnType<AccessTokenSource['getAccessToken']>>;
  try {
    token = await auth.getAccessToken();
  } catch (error) {
    throw new NasmonError('upstream-unavailable', `could not get an access token: ${messageOf(error)}`, {cause: error});
  }
  const text = typeof token === 'object' && token !== null ? token.token : token;
  if (!text) throw new NasmonError('upstream-unavailable', 'the auth client returned no access token');
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(call: HttpCall): string {
  return `${call.method} ${call.url}`;
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
