// The default transport against a real HTTP server on loopback: what it sends, gzip, a body that
// breaks off, and a stalled body cut off by the signal.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {nodeHttpFetch} from '../../../../shared/adapters/vertex/node-http-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('nodeHttpFetch', () => {
  let server: Server;
  let base: string;
  let handle: Handler = () => undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => handle(req, res, body));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });
  const signal = () => new AbortController().signal;

  it('sends method, headers and body, and reads status, headers and text', async () => {
    let seen: Record<string, string | undefined> = {};
    handle = (req, res, body) => {
      seen = {method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], encoding: req.headers['accept-encoding'], body};
      res.writeHead(429, {'retry-after': '7', 'content-type': 'application/json'}).end('{"error":{}}');
    };
    const response = await nodeHttpFetch(`${base}/v1/x:cancel`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"é":1}', signal: signal()});
    expect([response.status, response.headers.get('Retry-After'), response.headers.get('x-none'), await response.text()])
      .toEqual([429, '7', null, '{"error":{}}']);
    expect(seen).toEqual({method: 'POST', type: 'application/json', length: '8', encoding: 'gzip', body: '{"é":1}'});
  });

  it('gunzips a gzip-encoded body', async () => {
    handle = (_req, res) => res.writeHead(200, {'content-encoding': 'gzip'}).end(gzipSync('{"nasJobs":[]}'));
    const response = await nodeHttpFetch(`${base}/list`, {method: 'GET', headers: {}, signal: signal()});
    expect(await response.text()).toBe('{"nasJobs":[]}');
  });

  it('rejects text() when the body breaks off before its Content-Length', async () => {
    handle = (_req, res) => {
      res.writeHead(200, {'content-length': '100'});
      res.write('{"nasJobs": [');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await nodeHttpFetch(`${base}/cut`, {method: 'GET', headers: {}, signal: signal()});
    await expect(response.text()).rejects.toThrow();
  });

  it('rejects when the signal aborts, before the response or while its body stalls', async () => {
    handle = () => undefined; // never answers
    const early = new AbortController();
    const pending = nodeHttpFetch(`${base}/slow`, {method: 'GET', headers: {}, signal: early.signal});
    setTimeout(() => early.abort(), 20);
    await expect(pending).rejects.toThrow(/aborted/);

    handle = (_req, res) => res.writeHead(200, {'content-length': '50'}).write('{"a":');
    const late = new AbortController();
    const response = await nodeHttpFetch(`${base}/stall`, {method: 'GET', headers: {}, signal: late.signal});
    const text = response.text();
    late.abort();
    await expect(text).rejects.toThrow();
  });

  it('refuses a URL that is not http or https', async () => {
    await expect(nodeHttpFetch('ftp://127.0.0.1/x', {method: 'GET', headers: {}, signal: signal()})).rejects.toThrow(/unsupported protocol/);
  });
});
