// The client's default FetchLike, on node:http(s) with keep-alive agents. The global fetch (undici)
// spent about 4 ms of CPU per 150 KB list page in its web-stream plumbing; a 10,000-job poll cycle
// reads 100 such pages, which made fetch the largest single cost of a quiet cycle (see bench:poll).
import http from 'node:http';
import https from 'node:https';
import {createGunzip} from 'node:zlib';
import type {FetchInit, FetchLike, FetchResponse} from './http-transport.js';

const agents = {
  'http:': new http.Agent({keepAlive: true, maxSockets: 64}),
  'https:': new https.Agent({keepAlive: true, maxSockets: 64}),
};

/** Sends one request; the body is read (and gunzipped) by `text()`, which rejects if it breaks off. */
export const nodeHttpFetch: FetchLike = (url, init) =>
  new Promise<FetchResponse>((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new TypeError(`unsupported protocol ${target.protocol}`));
      return;
    }
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: init.method,
      headers: requestHeaders(init),
      agent: agents[target.protocol],
    });
    // Not http.request's `signal` option: its listener bookkeeping cost more CPU than the request.
    const abort = () => request.destroy(new Error('the request was aborted'));
    if (init.signal.aborted) abort();
    else init.signal.addEventListener('abort', abort, {once: true});
    const forget = () => init.signal.removeEventListener('abort', abort);
    request.on('error', error => (forget(), reject(error))); // no response: refused, reset, aborted
    request.on('response', response => {
      response.on('close', forget); // the signal must still cut off a body that stalls
      const body = readBody(response);
      body.catch(() => undefined); // a caller that never reads the body must not see an unhandled rejection
      resolve({
        status: response.statusCode ?? 0,
        headers: {get: name => headerValue(response.headers[name.toLowerCase()])},
        text: () => body,
      });
    });
    request.end(init.body);
  });

function requestHeaders(init: FetchInit): Record<string, string> {
  const headers: Record<string, string> = {'accept-encoding': 'gzip', ...init.headers};
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return headers;
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const gzipped = response.headers['content-encoding'] === 'gzip';
    const stream = gzipped ? response.pipe(createGunzip()) : response;
    let done = false;
    const fail = (error: Error) => {
      if (!done) (done = true), reject(error);
    };
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', fail);
    response.on('error', fail);
    // 'close' without a complete message: the connection ended before Content-Length was reached.
    response.on('close', () => {
      if (!response.complete) fail(new Error('the response body broke off'));
    });
    stream.on('end', () => {
      if (!response.complete) return fail(new Error('the response body broke off'));
      done = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
