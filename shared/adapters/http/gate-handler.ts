import type {Request, Response} from '@google-cloud/functions-framework';
import type {CallerRateLimit} from '../../core/gate/caller-rate-limit.js';
import type {GateError} from '../../core/gate/gate-error.js';
import {resourceExhausted} from '../../core/gate/gate-errors.js';
import type {GateRequest} from '../../core/gate/gate-request.js';
import {parseGateRequest} from '../../core/gate/parse-gate-request.js';
import {DEFAULT_GATE_TIMEOUT_MS} from '../../config.js';
import type {Logger} from '../../log.js';
import type {IdTokenVerifier, VerifiedCaller} from '../auth/id-token-verifier.js';
import {withDeadline} from './deadline.js';
import {readGateRequest} from './read-gate-request.js';
import {sendGateError} from './send-gate-error.js';


/** What the gate's logic answers for an accepted call. */
export interface GateResponse {
  /** Default 200. */
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One authenticated, parsed call, handed to the gate's logic. */
export interface GateCall {
  readonly caller: VerifiedCaller;
  readonly request: GateRequest;
  /** Aborts when the time limit runs out or the framework gives up on the request. */
  readonly signal: AbortSignal;
}

/** Options of {@link createGateHandler}. */
export interface GateHandlerOptions {
  readonly verifier: IdTokenVerifier;
  /** Time limit of one call (NASMON_GATE_TIMEOUT_MS); default DEFAULT_GATE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly log?: Logger;
  /** Per-caller limit, checked right after authentication (NASMON_GATE_CALLS_PER_MINUTE); none when absent. */
  readonly rateLimit?: CallerRateLimit;
  /** The clock of the rate limit; default Date.now. */
  readonly nowMs?: () => number;
}

/**
 * The gate's HTTP edge as one handler for `ff.http`: authenticate, parse, run `handle` within the time
 * limit, answer JSON. Authentication comes first, so an unauthenticated caller learns nothing about the
 * API. Every failure is answered with Google's error envelope; 5xx causes are logged, never sent.
 */
export function createGateHandler(options: GateHandlerOptions, handle: (call: GateCall) => Promise<GateResponse>) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GATE_TIMEOUT_MS;
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const answer = await withDeadline(
        timeoutMs,
        async signal => {
          const caller = await options.verifier.verify(req.headers.authorization);
          const wait = options.rateLimit?.take(caller.email, (options.nowMs ?? Date.now)());
          if (wait !== undefined) throw resourceExhausted(`${caller.email} is over its rate limit of the gate; retry in ${wait} s`, wait, 'CALLER_RATE_LIMITED');
          const request = parseGateRequest(readGateRequest(req, options.maxBodyBytes === undefined ? {} : {maxBodyBytes: options.maxBodyBytes}));
          return handle({caller, request, signal});
        },
        req.abortController?.signal,
      );
      if (res.headersSent) return;
      for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
      res.status(answer.status ?? 200).json(answer.body);
    } catch (error) {
      logRefusal(options.log, req, sendGateError(res, error));
    }
  };
}

function logRefusal(log: Logger | undefined, req: Request, error: GateError): void {
  if (!log) return;
  const reason = error.details.find(detail => detail.kind === 'ErrorInfo');
  const fields = {
    method: req.method,
    path: (req.originalUrl ?? '').slice(0, 200),
    httpStatus: error.httpStatus,
    reason: reason?.kind === 'ErrorInfo' ? reason.reason : error.status,
  };
  if (error.httpStatus >= 500) log.error('gate call failed', {...fields, error: (error.cause as Error | undefined) ?? error});
  else log.info('gate refused a call', fields);
}
