import type {IncomingMessage, ServerResponse} from 'node:http';
import {createRequire} from 'node:module';
import type {GateError} from '../../core/gate/gate-error.js';
import {notFound, payloadTooLarge, requestTimeout, unsupportedMediaType} from '../../core/gate/gate-errors.js';
import {DEFAULT_GATE_TIMEOUT_MS} from '../../config.js';
import {gateErrorOfFrameworkError} from './framework-errors.js';
import {MAX_BODY_BYTES} from './read-gate-request.js';
import {writeGateError} from './send-gate-error.js';

// functions-framework parses every body itself (JSON up to 1024 MB, gzip inflated) before the function
// runs, and offers no hook for errors: a malformed body gets Express's HTML page with a stack trace. The
// only seam is Express's application prototype, whose `handle` every app copies when created, so
// installing before the framework builds its server lets the guard (1) refuse oversize and compressed
// bodies from the headers, before a byte is read, (2) give the body a deadline to arrive by, and (3)
// answer the framework's middleware errors with Google's error envelope. It applies to every function
// served by this process.

/** Options of {@link installEdgeGuard}. */
export interface EdgeGuardOptions {
  /** Bodies announced larger than this are refused from their Content-Length; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * The body must have arrived this long after the headers; default the gate's default time limit
   * (30 s), time enough for 1 MiB over a slow link. The gate's own limit (NASMON_GATE_TIMEOUT_MS)
   * only starts once the framework has read the whole body, so without this a client trickling its
   * body a byte at a time holds a connection (and an instance's slot) until Node's 5-minute limit.
   */
  readonly bodyTimeoutMs?: number;
  /** Told about every refusal (for the log); never sees the body or the Authorization header. */
  readonly onRefusal?: (error: GateError, cause: unknown) => void;
}

type Handle = (this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (error?: unknown) => void) => void;
interface ApplicationProto {
  handle: Handle;
  [GUARD]?: {options: EdgeGuardOptions};
}

const GUARD = Symbol.for('nasmon.edgeGuard');

/** Installs the guard (idempotent; a second call replaces the options). Call it before `getTestServer`/the framework's server start. */
export function installEdgeGuard(options: EdgeGuardOptions = {}): void {
  const proto = frameworkExpressApplication();
  const installed = proto[GUARD];
  if (installed) {
    installed.options = options;
    return;
  }
  const state = {options};
  const original = proto.handle;
  proto[GUARD] = state;
  proto.handle = function guardedHandle(req, res, callback) {
    if (callback) return original.call(this, req, res, callback); // a mounted sub-app: its parent decides
    const limit = state.options.maxBodyBytes ?? MAX_BODY_BYTES;
    const refuse = (error: GateError, cause: unknown) => {
      // After a body deadline's answer, the framework reports the aborted body too: not a second refusal.
      if (!res.headersSent) state.options.onRefusal?.(error, cause);
      respondEarly(req, res, error);
    };
    const early = refusalFromHeaders(req, limit);
    if (early) return refuse(early, undefined);
    watchBodyArrival(req, res, state.options.bodyTimeoutMs ?? DEFAULT_GATE_TIMEOUT_MS, error => refuse(error, undefined));
    return original.call(this, req, res, error =>
      error == null ? refuse(notFound('no such resource', 'UNKNOWN_PATH'), undefined) : refuse(gateErrorOfFrameworkError(error, limit), error),
    );
  };
}

function refusalFromHeaders(req: IncomingMessage, limit: number): GateError | undefined {
  const length = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(length) && length > limit) return payloadTooLarge(limit);
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    // The framework would inflate up to 1024 MB: a small gzip bomb could exhaust memory.
    return unsupportedMediaType('compressed bodies are not accepted; send the JSON uncompressed', 'UNSUPPORTED_CONTENT_ENCODING');
  }
  return undefined;
}

// Answers 408 if the body has not fully arrived in time. The answer says `Connection: close`, so Node
// closes the socket once it is sent, and the framework's pending body read ends with it.
function watchBodyArrival(req: IncomingMessage, res: ServerResponse, timeoutMs: number, refuse: (error: GateError) => void): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (!req.complete && !res.headersSent) refuse(requestTimeout(Math.round(timeoutMs / 100) / 10));
  }, timeoutMs);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  res.once('close', stop);
}

// Answer now, and drain what the client is still sending, so it reads the answer instead of a reset;
// the connection is closed after, since the rest of the body is not worth keeping it for.
function respondEarly(req: IncomingMessage, res: ServerResponse, error: GateError): void {
  const draining = !req.complete;
  writeGateError(res, error, draining ? {Connection: 'close'} : {});
  if (draining) req.resume();
}

// The framework's own copy of Express, resolved from its package: nasmon does not depend on Express directly.
function frameworkExpressApplication(): ApplicationProto {
  const fromHere = createRequire(import.meta.url);
  const fromFramework = createRequire(fromHere.resolve('@google-cloud/functions-framework'));
  return (fromFramework('express') as {application: ApplicationProto}).application;
}
