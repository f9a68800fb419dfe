import {NasmonError} from '../../errors.js';
import type {LocationRef} from '../../core/vertex/names.js';
import {retryDelayOf} from '../../core/vertex/vertex-api-error.js';
import {sendVertexRequest, type HttpCall, type HttpTransport} from './http-transport.js';
import type {RequestBudget, RequestKind} from './request-budget.js';
import {isRateLimitError, isRetryableFor, type RetryRule} from './retry-rules.js';
import {withRetries, type RetryPolicy} from './retry-policy.js';

/** The regional endpoint Vertex requires for a location (the host's region must match the path's). */
export function regionalBaseUrl(location: string): string {
  return `https://${location}-aiplatform.googleapis.com`;
}

/** A request to one (project, location), with the quota it draws on. */
export interface VertexRequest extends HttpCall {
  readonly target: LocationRef;
  readonly kind: RequestKind;
}

/** Everything a caller needs: transport, budget and retry parameters. */
export interface VertexCallerDeps {
  readonly transport: HttpTransport;
  readonly baseUrl: string | undefined;
  readonly budget: RequestBudget | undefined;
  readonly policy: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** Sends Vertex requests through the budget, with retries where the method's rule allows. */
export interface VertexCaller {
  /** `{base}/v1/{name}{suffix}?{query}` for a resource in `target`. */
  urlOf(target: LocationRef, name: string, suffix?: string, query?: Readonly<Record<string, string | undefined>>): string;
  /** One attempt, no retry. */
  once(request: VertexRequest): Promise<unknown>;
  /** Attempts until success or the rule says stop; `recover` may turn a later attempt's error into a value. */
  retrying(request: VertexRequest, rule: RetryRule, recover?: (error: unknown, attempt: number) => unknown): Promise<unknown>;
  readonly deps: VertexCallerDeps;
}

/** Builds a {@link VertexCaller}. */
export function createVertexCaller(deps: VertexCallerDeps): VertexCaller {
  const once = async (request: VertexRequest): Promise<unknown> => {
    await deps.budget?.acquire(request.target, request.kind);
    try {
      return await sendVertexRequest(request, deps.transport);
    } catch (error) {
      // Tell the budget before retrying, so other calls to the same target also hold back.
      if (isRateLimitError(error)) deps.budget?.pause(request.target, retryDelayOf(error) ?? deps.policy.baseDelayMs, request.kind);
      throw error;
    }
  };
  return {
    deps,
    once,
    urlOf(target, name, suffix = '', query = {}) {
      const base = (deps.baseUrl ?? regionalBaseUrl(target.location)).replace(/\/+$/, '');
      const path = name.split('/').map(encodeURIComponent).join('/');
      const params = new URLSearchParams(
        Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      // A system parameter of every Google REST API: Vertex pretty-prints JSON unless asked not to,
      // and the indentation is about 40 % of a list page's bytes, all of it read and parsed for nothing.
      params.set('prettyPrint', 'false');
      return `${base}/v1/${path}${suffix}?${params.toString()}`;
    },
    retrying(request, rule, recover) {
      const attempt = async (n: number) => {
        try {
          return await once(request);
        } catch (error) {
          const recovered = n > 1 && recover ? recover(error, n) : undefined;
          if (recovered === undefined) throw error;
          return recovered;
        }
      };
      return withRetries(attempt, {
        policy: deps.policy,
        sleep: deps.sleep,
        random: deps.random,
        shouldRetry: error => isRetryableFor(rule, error),
        serverDelayOf: retryDelayOf,
      });
    },
  };
}

/** Throws `invalid-argument` unless `parsed` is defined. */
export function requireName<T>(parsed: T | undefined, name: string, pattern: string): T {
  if (parsed === undefined) throw new NasmonError('invalid-argument', `expected a name like ${pattern}, got "${name}"`);
  return parsed;
}
