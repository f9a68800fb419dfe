import type {ServerResponse} from 'node:http';
import {toErrorEnvelope} from '../../core/gate/error-envelope.js';
import type {GateError} from '../../core/gate/gate-error.js';
import {toGateError} from './to-gate-error.js';

/**
 * Answers with Google's error envelope for `error` (anything thrown: unknown errors become a bare
 * 500 INTERNAL, so no stack, message or internal name leaks). Returns the GateError that was sent.
 */
export function sendGateError(res: ServerResponse, error: unknown): GateError {
  const gateError = toGateError(error);
  writeGateError(res, gateError);
  return gateError;
}

/** Writes a GateError with Node's own API, so it also works before Express has decorated `res`. */
export function writeGateError(res: ServerResponse, error: GateError, extraHeaders: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) {
    res.destroy(); // half a response is worse than none: the client sees a reset, not a truncated body
    return;
  }
  const body = JSON.stringify(toErrorEnvelope(error));
  res.statusCode = error.httpStatus;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  for (const [name, value] of Object.entries({...error.headers, ...extraHeaders})) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(body);
}
