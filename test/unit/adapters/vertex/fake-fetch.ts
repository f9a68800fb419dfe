// A scripted stand-in for `fetch` (style.md §2.7: inject, don't mock modules).
import type {FetchInit, FetchLike, FetchResponse} from '../../../../shared/adapters/vertex/http-transport.js';
import {createVertexNasClient, type VertexNasClientOptions} from '../../../../shared/adapters/vertex/vertex-nas-client.js';

/** A request the fake received. */
export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** What the fake does with one request. */
export type Reply =
  | {readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string>}
  | {readonly hang: true}
  | {readonly networkError: string}
  | {readonly status: number; readonly truncated: true};

/** A JSON reply. */
export const reply = (status: number, body: unknown = {}, headers: Record<string, string> = {}): Reply => ({status, body, headers});
/** A reply that never comes (until the request is aborted). */
export const hang: Reply = {hang: true};
/** A connection reset before any response. */
export const reset: Reply = {networkError: 'ECONNRESET'};
/** A response whose body breaks off mid-stream. */
export const truncated = (status = 200): Reply => ({status, truncated: true});

/** A fetch that answers each request with `route(request, index)`; every request is recorded. */
export function fakeFetch(route: (request: SeenRequest, index: number) => Reply): FetchLike & {requests: SeenRequest[]} {
  const requests: SeenRequest[] = [];
  const fetch = async (url: string, init: FetchInit): Promise<FetchResponse> => {
    const request = {method: init.method, url: new URL(url), headers: init.headers, body: init.body === undefined ? undefined : JSON.parse(init.body)};
    requests.push(request);
    return respond(route(request, requests.length - 1), init.signal);
  };
  return Object.assign(fetch, {requests});
}

/** A fetch that plays `replies` in order and then repeats the last one. */
export function scriptedFetch(...replies: Reply[]) {
  return fakeFetch((_, index) => replies[Math.min(index, replies.length - 1)]!);
}

function respond(r: Reply, signal: AbortSignal): Promise<FetchResponse> {
  if ('hang' in r) {
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), {once: true}));
  }
  if ('networkError' in r) return Promise.reject(new TypeError('fetch failed', {cause: new Error(r.networkError)}));
  if ('truncated' in r) {
    return Promise.resolve({status: r.status, headers: new Headers(), text: () => Promise.reject(new TypeError('terminated'))});
  }
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return Promise.resolve(new Response(text, {status: r.status, headers: r.headers ?? {}}));
}

/** Client options where `undefined` removes a test default (e.g. `baseUrl: undefined` for the regional URL). */
export type TestClientOverrides = {[K in keyof VertexNasClientOptions]?: VertexNasClientOptions[K] | undefined};

/** A client over `fetch` with a recording sleep, fixed jitter and a fixed token; overrides win. */
export function testClient(fetch: FetchLike, overrides: TestClientOverrides = {}) {
  const sleeps: number[] = [];
  const options = {
    auth: {getAccessToken: async () => 'fixed-test-token'},
    baseUrl: 'http://127.0.0.1:9',
    fetch,
    sleep: async (ms: number) => void sleeps.push(ms),
    random: () => 0.5,
    timeoutMs: 1000,
    ...overrides,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return {client: createVertexNasClient(defined as unknown as VertexNasClientOptions), sleeps};
}
