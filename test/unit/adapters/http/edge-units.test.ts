import type {Request} from '@google-cloud/functions-framework';
import type {ServerResponse} from 'node:http';
import {describe, expect, it} from 'vitest';
import {withDeadline} from '../../../../shared/adapters/http/deadline.js';
import {gateErrorOfFrameworkError} from '../../../../shared/adapters/http/framework-errors.js';
import {contentTypeProblem, readGateRequest} from '../../../../shared/adapters/http/read-gate-request.js';
import {sendGateError} from '../../../../shared/adapters/http/send-gate-error.js';
import {toGateError} from '../../../../shared/adapters/http/to-gate-error.js';
import {VertexTransportError} from '../../../../shared/adapters/vertex/transport-error.js';
import {isGateError, type GateError} from '../../../../shared/core/gate/gate-error.js';
import {invalidArgument} from '../../../../shared/core/gate/gate-errors.js';
import {parseGoogleError} from '../../../../shared/core/vertex/parse-google-error.js';

/** Just enough of ServerResponse to see what was written. */
class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  body = '';
  readonly headers = new Map<string, string | number>();
  setHeader(name: string, value: string | number) { this.headers.set(name.toLowerCase(), value); }
  getHeaderNames() { return [...this.headers.keys()]; }
  removeHeader(name: string) { this.headers.delete(name.toLowerCase()); }
  end(body: string) { this.body = body; this.headersSent = true; }
  destroy() { this.destroyed = true; }
  asResponse() { return this as unknown as ServerResponse; }
}

function request(overrides: Partial<Request> & {headers?: Record<string, string>}): Request {
  return {method: 'POST', originalUrl: '/v1/x?a=b', url: '/v1/x?a=b', headers: {}, ...overrides} as Request;
}

function refusal(fn: () => unknown): GateError {
  try {
    fn();
  } catch (error) {
    if (isGateError(error)) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('readGateRequest', () => {
  it('takes the raw target and the parsed JSON body', () => {
    const req = request({originalUrl: '/v1/p%2Fx?q=1', headers: {'content-type': 'application/json; charset=UTF-8'}, rawBody: Buffer.from('{"a":1}'), body: {a: 1}});
    expect(readGateRequest(req)).toEqual({method: 'POST', target: '/v1/p%2Fx?q=1', body: {a: 1}});
  });

  it('sees no body when no bytes arrived, whatever the parser made of it', () => {
    expect(readGateRequest(request({rawBody: Buffer.alloc(0), body: {}})).body).toBeUndefined();
    expect(readGateRequest(request({body: undefined})).body).toBeUndefined();
  });

  it('refuses an announced body that no parser read, because it has no content type', () => {
    const error = refusal(() => readGateRequest(request({headers: {'content-length': '12'}, body: undefined})));
    expect([error.httpStatus, error.message]).toEqual([415, 'a request body needs "Content-Type: application/json"']);
  });

  it('refuses a body over the limit with 413', () => {
    const error = refusal(() => readGateRequest(request({headers: {'content-type': 'application/json'}, rawBody: Buffer.alloc(11), body: {}}), {maxBodyBytes: 10}));
    expect([error.httpStatus, error.message]).toEqual([413, 'the request body is larger than the limit of 10 bytes']);
  });

  it.each([
    [undefined, /needs "Content-Type: application\/json"/],
    ['text/plain', /must be application\/json, not "text\/plain"/],
    ['application/x-www-form-urlencoded', /not "application\/x-www-form-urlencoded"/],
    ['application/json; charset=latin1', /only UTF-8/],
  ])('refuses a body with content type %s with 415', (contentType, message) => {
    const headers: Record<string, string> = contentType === undefined ? {} : {'content-type': contentType};
    const error = refusal(() => readGateRequest(request({headers, rawBody: Buffer.from('a=1'), body: {a: '1'}})));
    expect(error.httpStatus).toBe(415);
    expect(error.message).toMatch(message);
  });

  it('accepts JSON content types with parameters in any case', () => {
    expect(contentTypeProblem('Application/JSON ; charset="utf-8"')).toBeUndefined();
  });
});

describe('sendGateError', () => {
  it('writes the envelope with its headers and no caching', () => {
    const res = new RecordingResponse();
    res.setHeader('x-leftover', '1');
    sendGateError(res.asResponse(), invalidArgument('bad', [{field: 'a', description: 'b'}]));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error).toMatchObject({code: 400, status: 'INVALID_ARGUMENT', message: 'bad'});
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(res.body),
      'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
    });
  });

  it('answers a bare 500 for an unknown error: no message, stack or name leaks', () => {
    const res = new RecordingResponse();
    const sent = sendGateError(res.asResponse(), new TypeError("Cannot read properties of undefined (reading 'firestoreClient')"));
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      error: {code: 500, status: 'INTERNAL', message: 'internal error', details: [expect.objectContaining({reason: 'INTERNAL'})]},
    });
    expect(sent.cause).toBeInstanceOf(TypeError);
  });

  it('resets the connection when a response was already started', () => {
    const res = new RecordingResponse();
    res.headersSent = true;
    sendGateError(res.asResponse(), new Error('late'));
    expect(res.destroyed).toBe(true);
  });
});

describe('toGateError', () => {
  it('passes Vertex errors through and maps transport failures to 503/504', () => {
    expect(toGateError(parseGoogleError(404, {error: {code: 404, status: 'NOT_FOUND', message: 'gone'}})).httpStatus).toBe(404);
    expect(toGateError(new VertexTransportError('timeout', 'after 20000 ms')).httpStatus).toBe(504);
    const network = toGateError(new VertexTransportError('network', 'connect ECONNREFUSED 10.0.0.1:443'));
    expect([network.httpStatus, network.message]).toEqual([503, 'Vertex AI could not be reached or answered incompletely; retry shortly']);
  });
});

describe('gateErrorOfFrameworkError', () => {
  it.each([
    [{type: 'entity.parse.failed', status: 400}, 400, /not valid JSON/],
    [{type: 'entity.too.large', status: 413}, 413, /larger than the limit of 1048576 bytes/],
    [{type: 'encoding.unsupported', status: 415}, 415, /compressed bodies are not accepted/],
    [{type: 'charset.unsupported', status: 415}, 415, /only UTF-8/],
    [{type: 'request.aborted', status: 400}, 400, /ended before/],
    [{code: 'Z_DATA_ERROR', status: 400}, 400, /could not be decoded/],
    [new URIError('Failed to decode param'), 400, /not validly percent-encoded/],
    [{status: 431}, 431, /could not be read/],
    [new Error('boom'), 500, /^internal error$/],
  ])('maps %o to %i', (error, status, message) => {
    const gateError = gateErrorOfFrameworkError(error, 1024 * 1024);
    expect(gateError.httpStatus).toBe(status);
    expect(gateError.message).toMatch(message);
  });
});

describe('withDeadline', () => {
  it('returns what the work returns in time', async () => {
    await expect(withDeadline(1000, async () => 'done')).resolves.toBe('done');
  });

  it('answers 504 and aborts the work when time runs out', async () => {
    let signal: AbortSignal | undefined;
    const error = await withDeadline(20, s => ((signal = s), new Promise(() => {}))).catch((e: unknown) => e);
    expect(isGateError(error, 504)).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  it('aborts the work when the parent signal aborts', async () => {
    const parent = new AbortController();
    let signal: AbortSignal | undefined;
    const running = withDeadline(1000, async s => {
      signal = s;
      parent.abort('client gone');
      return s.aborted;
    }, parent.signal);
    await expect(running).resolves.toBe(true);
    expect(signal?.reason).toBe('client gone');
  });
});
