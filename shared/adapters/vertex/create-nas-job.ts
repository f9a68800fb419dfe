import {NasmonError} from '../../errors.js';
import type {LocationRef} from '../../core/vertex/names.js';
import type {NasJob, NasJobDraft} from '../../core/vertex/nas-job.js';
import {parseNasJob} from '../../core/vertex/parse-nas-job.js';
import {parseTimestampMs} from '../../core/vertex/time.js';
import {retryDelayOf} from '../../core/vertex/vertex-api-error.js';
import {isAmbiguousCreateFailure} from './retry-rules.js';
import {VertexTransportError} from './transport-error.js';
import {retryDelayMs} from './retry-policy.js';
import type {VertexCaller} from './vertex-caller.js';

/** The label create writes so a lost response can be found again (vertex-nasjobs-api.md §5). */
export const REQUEST_ID_LABEL = 'request_id';

// A label value: lowercase letters, digits, "_" and "-", at most 63 characters (the stricter GCP-wide rule).
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\d_-]{1,63}$/u;

/** What create needs besides the caller: a way to find jobs by label. */
export interface CreateNasJobDeps {
  readonly caller: VertexCaller;
  readonly findByRequestId: (parent: string, requestId: string) => Promise<readonly NasJob[]>;
  /** How long to wait before looking when the first request may still be in flight (timeout, reset). */
  readonly settleMs: number;
}

/** One create request: where, what, and the idempotency key. */
export interface CreateNasJobRequest {
  readonly parent: string;
  readonly target: LocationRef;
  readonly draft: NasJobDraft;
  readonly requestId: string;
  /** Look for an earlier job with this request ID before the first POST (the caller is retrying). */
  readonly lookFirst: boolean;
}

/**
 * Creates a NasJob without ever creating it twice for one request ID. Create is not idempotent, so it is
 * never resent blindly: after an ambiguous failure (500/502/503/504, network, timeout, truncated body)
 * it lists by the `request_id` label and returns the job it finds, re-creating only if there is none.
 * Every other error (400, 429 of either kind, …) surfaces at once. A 5xx or a truncated 2xx means the
 * server has finished with the request, so a lookup is conclusive; after a timeout or a reset the request
 * may still be running there, so the lookup waits `settleMs` first. That narrows the race but cannot close
 * it: only a server-side request ID could.
 */
export async function createNasJobOnce(deps: CreateNasJobDeps, request: CreateNasJobRequest): Promise<NasJob> {
  const {caller} = deps;
  const {policy, sleep, random} = caller.deps;
  if (!LABEL_VALUE.test(request.requestId)) {
    throw new NasmonError('invalid-argument', `request ID "${request.requestId}" is not a valid label value`);
  }
  if (request.lookFirst) {
    const found = await findOldest(deps, request);
    if (found) return found;
  }
  const body = writableFields(request.draft, request.requestId);
  const url = caller.urlOf(request.target, request.parent, '/nasJobs');
  for (let attempt = 1; ; attempt++) {
    try {
      return parseNasJob(await caller.once({method: 'POST', url, body, target: request.target, kind: 'write'}));
    } catch (error) {
      if (!isAmbiguousCreateFailure(error) || attempt >= policy.maxAttempts) throw error;
      const delay = retryDelayMs(policy, attempt, random, retryDelayOf(error));
      if (delay === undefined) throw error;
      await sleep(mayBeInFlight(error) ? Math.max(delay, deps.settleMs) : delay);
      const found = await findOldest(deps, request);
      if (found) return found;
    }
  }
}

function mayBeInFlight(error: unknown): boolean {
  return error instanceof VertexTransportError && (error.failure === 'network' || error.failure === 'timeout');
}

// Only the writable fields go out, even if the caller passed a whole NasJob (a resume built from a get).
function writableFields(draft: NasJobDraft, requestId: string): NasJobDraft {
  const {displayName, nasJobSpec, labels, encryptionSpec, enableRestrictedImageTraining} = draft;
  return {
    displayName,
    nasJobSpec,
    labels: {...labels, [REQUEST_ID_LABEL]: requestId},
    ...(encryptionSpec === undefined ? {} : {encryptionSpec}),
    ...(enableRestrictedImageTraining === undefined ? {} : {enableRestrictedImageTraining}),
  };
}

async function findOldest(deps: CreateNasJobDeps, request: CreateNasJobRequest): Promise<NasJob | undefined> {
  return oldestJob(await deps.findByRequestId(request.parent, request.requestId));
}

/** The oldest of jobs with one request ID: if an older bug ever made two, the one the first attempt created. */
export function oldestJob(jobs: readonly NasJob[]): NasJob | undefined {
  return [...jobs].sort((a, b) => createdAt(a) - createdAt(b))[0];
}

function createdAt(job: NasJob): number {
  return (job.createTime === undefined ? undefined : parseTimestampMs(job.createTime)) ?? Number.MAX_SAFE_INTEGER;
}
