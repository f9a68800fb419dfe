import {randomUUID} from 'node:crypto';
import {
  isNasTrialDetailName,
  isOperationName,
  locationOf,
  parseLocationName,
  parseNasJobName,
  type LocationRef,
} from '../../core/vertex/names.js';
import type {NasJob, NasJobDraft} from '../../core/vertex/nas-job.js';
import type {NasTrialDetail} from '../../core/vertex/nas-trial.js';
import type {Operation} from '../../core/vertex/operation.js';
import type {NasJobHead, RecordedHeads} from '../../core/vertex/nas-job-head.js';
import {parseNasJobHeadsPage, parseNasJobsPage, parseNasTrialDetailsPage, type ListPage} from '../../core/vertex/parse-list.js';
import {parseNasJob} from '../../core/vertex/parse-nas-job.js';
import {parseNasTrialDetail} from '../../core/vertex/parse-nas-trial.js';
import {parseOperation} from '../../core/vertex/parse-operation.js';
import {parseTimestampMs} from '../../core/vertex/time.js';
import {collectPages, type ListResult} from './collect-pages.js';
import {createNasJobOnce, oldestJob, REQUEST_ID_LABEL} from './create-nas-job.js';
import {deleteNasJobAndWait} from './delete-nas-job.js';
import type {AccessTokenSource, FetchLike} from './http-transport.js';
import {nodeHttpFetch} from './node-http-fetch.js';
import type {RequestBudget} from './request-budget.js';
import {resolveRetryPolicy, type RetryPolicy} from './retry-policy.js';
import {createVertexCaller, requireName, type VertexCaller} from './vertex-caller.js';

/** Options of {@link createVertexNasClient}. */
export interface VertexNasClientOptions {
  /** GoogleAuth (ADC, cloud-platform scope) in production; an OAuth2Client with a fixed token in tests. */
  readonly auth: AccessTokenSource;
  /** VERTEX_API_ENDPOINT; unset means `https://{location}-aiplatform.googleapis.com` per request. */
  readonly baseUrl?: string;
  readonly fetch?: FetchLike;
  /** Per attempt, body included; default 60 s (the gapic client's per-call timeout). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly budget?: RequestBudget;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); drives the jitter. */
  readonly random?: () => number;
  readonly now?: () => number;
  /** Wait before looking for a create whose request may still be in flight (timeout, reset); default 10 s. */
  readonly createSettleMs?: number;
  /** Request IDs for creates without one; default crypto.randomUUID. */
  readonly newRequestId?: () => string;
  /** `pageSize` sent by the all-pages list methods; default 100. */
  readonly pageSize?: number;
  /** Operation polling of `deleteNasJob(name, {wait: true})`; defaults 1 s and 60 s. */
  readonly operationPollIntervalMs?: number;
  readonly operationMaxWaitMs?: number;
}

/** Query options of nasJobs.list. */
export interface ListNasJobsOptions {
  /** AIP-160 filter over display_name, state, create_time and labels (not update_time). */
  readonly filter?: string;
  readonly pageSize?: number;
  /** Field paths to return; `name` is always added, since jobs are keyed by it. */
  readonly readMask?: readonly string[];
}

/** The typed Vertex AI v1 nasJobs client. Every method throws NasmonError subclasses only. */
export interface VertexNasClient {
  getNasJob(name: string): Promise<NasJob>;
  /** Every page, de-duplicated by name (newest `updateTime` wins); unparsable jobs are in `invalid`. */
  listNasJobs(parent: string, options?: ListNasJobsOptions): Promise<ListResult<NasJob>>;
  listNasJobsPage(parent: string, options?: ListNasJobsOptions & {readonly pageToken?: string}): Promise<ListPage<NasJob>>;
  /**
   * Every page as job heads (name, state, updateTime), de-duplicated like listNasJobs. A head keeps
   * the JSON to decode its whole job (decodeWholeJob) only where `keepSource` says so. Jobs listed
   * exactly as in `recorded` skip the head's checks (see recordedHead).
   */
  listNasJobHeads(
    parent: string,
    options: ListNasJobsOptions & {readonly keepSource: (head: NasJobHead) => boolean; readonly recorded?: RecordedHeads},
  ): Promise<ListResult<NasJobHead>>;
  /**
   * Never creates twice for one request ID; see createNasJobOnce. A given request ID is looked up
   * first, unless `lookFirst` is false: the caller made the ID up for this request, so no earlier
   * attempt can have used it.
   */
  createNasJob(parent: string, job: NasJobDraft, options?: {readonly requestId?: string; readonly lookFirst?: boolean}): Promise<NasJob>;
  /** The job a create with this request ID made (its `request_id` label), if Vertex has one. */
  findCreatedJob(parent: string, requestId: string): Promise<NasJob | undefined>;
  /** Best effort: confirm with getNasJob. FAILED_PRECONDITION means the job had already finished. */
  cancelNasJob(name: string): Promise<void>;
  deleteNasJob(name: string, options?: {readonly wait?: boolean}): Promise<Operation>;
  listNasTrialDetails(jobName: string, options?: {readonly pageSize?: number}): Promise<ListResult<NasTrialDetail>>;
  getNasTrialDetail(name: string): Promise<NasTrialDetail>;
  getOperation(name: string): Promise<Operation>;
}

/** Builds the nasJobs REST client over injected auth, fetch, clock and budget. */
export function createVertexNasClient(options: VertexNasClientOptions): VertexNasClient {
  const caller = callerFor(options);
  const read = (target: LocationRef, url: string) => caller.retrying({method: 'GET', url, target, kind: 'read'}, 'read');
  const pageSize = (requested: number | undefined) => requested ?? options.pageSize ?? 100;

  const findByRequestId = async (parent: string, requestId: string) =>
    (await client.listNasJobs(parent, {filter: `labels.${REQUEST_ID_LABEL}="${requestId}"`})).items;

  const client: VertexNasClient = {
    async getNasJob(name) {
      const target = jobTarget(name);
      return parseNasJob(await read(target, caller.urlOf(target, name)));
    },
    async listNasJobsPage(parent, list = {}) {
      const target = parentTarget(parent);
      return parseNasJobsPage(await read(target, caller.urlOf(target, parent, '/nasJobs', listQuery(list))));
    },
    async listNasJobs(parent, list = {}) {
      const size = pageSize(list.pageSize);
      const fetchPage = (pageToken: string | undefined) =>
        client.listNasJobsPage(parent, {...list, pageSize: size, ...(pageToken === undefined ? {} : {pageToken})});
      return collectPages({fetchPage, nameOf: job => job.name, prefer: newerJob});
    },
    async listNasJobHeads(parent, {keepSource, recorded, ...list}) {
      const target = parentTarget(parent);
      const query = (pageToken: string | undefined) => listQuery({...list, pageSize: pageSize(list.pageSize), ...(pageToken === undefined ? {} : {pageToken})});
      const fetchPage = async (pageToken: string | undefined) =>
        parseNasJobHeadsPage(await read(target, caller.urlOf(target, parent, '/nasJobs', query(pageToken))), keepSource, recorded);
      return collectPages({fetchPage, nameOf: head => head.name, prefer: newerJob});
    },
    async findCreatedJob(parent, requestId) {
      return oldestJob(await findByRequestId(parent, requestId));
    },
    async createNasJob(parent, job, create = {}) {
      const given = create.requestId ?? job.labels?.[REQUEST_ID_LABEL];
      const deps = {caller, findByRequestId, settleMs: options.createSettleMs ?? 10_000};
      const requestId = given ?? (options.newRequestId ?? randomUUID)();
      return createNasJobOnce(deps, {parent, target: parentTarget(parent), draft: job, requestId, lookFirst: given !== undefined && create.lookFirst !== false});
    },
    async cancelNasJob(name) {
      const target = jobTarget(name);
      await caller.retrying({method: 'POST', url: caller.urlOf(target, name, ':cancel'), body: {}, target, kind: 'read'}, 'cancel');
    },
    async deleteNasJob(name, del = {}) {
      const wait = del.wait
        ? {pollIntervalMs: options.operationPollIntervalMs ?? 1000, maxWaitMs: options.operationMaxWaitMs ?? 60_000}
        : undefined;
      return deleteNasJobAndWait(caller, name, jobTarget(name), wait, client.getOperation);
    },
    async listNasTrialDetails(jobName, list = {}) {
      const target = jobTarget(jobName);
      const query = (pageToken: string | undefined) => ({pageSize: String(pageSize(list.pageSize)), pageToken});
      const fetchPage = async (pageToken: string | undefined) =>
        parseNasTrialDetailsPage(await read(target, caller.urlOf(target, jobName, '/nasTrialDetails', query(pageToken))));
      return collectPages({fetchPage, nameOf: detail => detail.name});
    },
    async getNasTrialDetail(name) {
      const target = requireName(isNasTrialDetailName(name) ? locationOf(name) : undefined, name, `${JOB}/nasTrialDetails/*`);
      return parseNasTrialDetail(await read(target, caller.urlOf(target, name)));
    },
    async getOperation(name) {
      const target = requireName(isOperationName(name) ? locationOf(name) : undefined, name, `${PARENT}/operations/*`);
      return parseOperation(await read(target, caller.urlOf(target, name)));
    },
  };
  return client;
}

const JOB = 'projects/*/locations/*/nasJobs/*';
const PARENT = 'projects/*/locations/*';
const jobTarget = (name: string): LocationRef => requireName(parseNasJobName(name), name, JOB);
const parentTarget = (name: string): LocationRef => requireName(parseLocationName(name), name, PARENT);

function callerFor(options: VertexNasClientOptions): VertexCaller {
  const now = options.now ?? Date.now;
  return createVertexCaller({
    transport: {fetch: options.fetch ?? nodeHttpFetch, auth: options.auth, timeoutMs: options.timeoutMs ?? 60_000, now},
    baseUrl: options.baseUrl,
    budget: options.budget,
    policy: resolveRetryPolicy(options.retry),
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
  });
}

// readMask always includes `name`: without it no job could be parsed or keyed.
function listQuery(list: ListNasJobsOptions & {readonly pageToken?: string}): Record<string, string | undefined> {
  return {
    filter: list.filter,
    pageSize: list.pageSize === undefined ? undefined : String(list.pageSize),
    pageToken: list.pageToken,
    readMask: list.readMask && [...new Set(['name', ...list.readMask])].join(','),
  };
}

// The same job can appear on two pages of one scan; the copy updated last is the truer one.
function newerJob<T extends Pick<NasJob, 'updateTime'>>(earlier: T, later: T): T {
  const time = (job: T) => (job.updateTime === undefined ? undefined : parseTimestampMs(job.updateTime)) ?? -Infinity;
  return time(earlier) > time(later) ? earlier : later;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
