// Raw HTTP plumbing: bodies in, JSON out, and the deliberately broken responses of the fault injector.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError} from './rpc-error.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer); // keep draining so the connection stays usable
  }
  if (size > MAX_BODY_BYTES) {
    throw new ApiError('INVALID_ARGUMENT', `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`, [], 413);
  }
  return Buffer.concat(chunks);
}

/** The parsed JSON body, undefined for an empty one, or 400 for malformed JSON. */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError('INVALID_ARGUMENT', `Invalid JSON payload received. ${reason}`);
  }
}

/** Google pretty-prints JSON unless the caller sends the system parameter `prettyPrint=false`. */
function encode(body: unknown, pretty = true): Buffer {
  return Buffer.from(pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, pretty = true): void {
  const payload = encode(body, pretty);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(payload.length),
    ...headers,
  });
  res.end(payload);
}

/** Announces the full Content-Length, sends half the body, then drops the connection. */
export function sendTruncated(res: ServerResponse, status: number, body: unknown): void {
  const payload = encode(body);
  res.writeHead(status, {'content-type': 'application/json; charset=UTF-8', 'content-length': String(payload.length)});
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
}

export function resetConnection(res: ServerResponse): void {
  res.socket?.destroy();
}
