// The guard through functions-framework itself: its body parser and router errors, which Express
// would answer with an HTML page and a stack trace, come back as Google's error envelope.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import * as ff from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {installEdgeGuard} from '../../../../shared/adapters/http/install-edge-guard.js';
import type {GateError} from '../../../../shared/core/gate/gate-error.js';

const refusals: {status: number; cause: unknown}[] = [];
installEdgeGuard({maxBodyBytes: 1000});
installEdgeGuard({maxBodyBytes: 100, onRefusal: (error: GateError, cause) => refusals.push({status: error.httpStatus, cause})});
ff.http('edgeGuardEcho', (req, res) => void res.json({body: req.body as unknown}));
ff.cloudEvent('edgeGuardEvent', async () => {});

let base = '';
let eventBase = '';
const servers: http.Server[] = [];

async function serve(name: string): Promise<string> {
  const server = getTestServer(name).listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  base = await serve('edgeGuardEcho');
  eventBase = await serve('edgeGuardEvent');
});
afterAll(() => servers.forEach(server => server.close()));

async function post(body: string, headers: Record<string, string> = {'content-type': 'application/json'}, url = `${base}/x`) {
  const response = await fetch(url, {method: 'POST', headers, body});
  return {status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as {error: {message: string; status: string}}};
}

describe('installEdgeGuard', () => {
  it('lets well-formed calls through untouched', async () => {
    const response = await fetch(`${base}/x`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"a":1}'});
    expect(await response.json()).toEqual({body: {a: 1}});
  });

  it('answers malformed JSON with a 400 envelope instead of an HTML stack trace', async () => {
    const response = await post('{"a":');
    expect(response).toEqual({
      status: 400, type: 'application/json; charset=utf-8',
      json: {error: expect.objectContaining({code: 400, status: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON (it must be a JSON object)'})},
    });
    expect(refusals.at(-1)).toMatchObject({status: 400, cause: expect.objectContaining({type: 'entity.parse.failed'})});
  });

  it('refuses a body over the limit from its Content-Length, with the latest options', async () => {
    const response = await post(JSON.stringify({pad: 'x'.repeat(200)}));
    expect([response.status, response.json.error.message]).toEqual([413, 'the request body is larger than the limit of 100 bytes']);
  });

  it('refuses compressed bodies before inflating them', async () => {
    const response = await post('{}', {'content-type': 'application/json', 'content-encoding': 'gzip'});
    expect([response.status, response.json.error.message]).toEqual([415, 'compressed bodies are not accepted; send the JSON uncompressed']);
  });

  it('answers a broken percent-escape in the path with a 400 envelope', async () => {
    const response = await fetch(`${base}/a%zz`);
    expect([response.status, ((await response.json()) as {error: {message: string}}).error.message]).toEqual([400, 'the path is not validly percent-encoded']);
  });

  it("answers the framework's own crash (GET on a CloudEvent function) with a bare 500 envelope", async () => {
    const response = await fetch(`${eventBase}/`);
    expect([response.status, response.headers.get('content-type')]).toEqual([500, 'application/json; charset=utf-8']);
    expect(await response.json()).toEqual({error: expect.objectContaining({code: 500, status: 'INTERNAL', message: 'internal error'})});
    expect(refusals.at(-1)?.cause).toBeInstanceOf(TypeError);
  });
});
