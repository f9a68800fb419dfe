// nasJobs.list: AIP-160 filter, readMask, keyset paging in a stable order (createTime desc, name),
// nasJobOutput always stripped. A token remembers the last job returned rather than an offset, so
// deleting jobs between pages neither skips nor repeats the others.
import {compileFilter, FilterError, type JobPredicate} from '../filter/compile-filter.js';
import {ok, type ApiHandler} from '../http/api-types.js';
import {invalidArgument} from '../http/error-details.js';
import {pageSizeOf, queryValue} from '../http/query.js';
import type {JobRecord} from '../model/job-record.js';
import {compareListOrder, type ListKey} from '../model/job-store.js';
import {advanceJob} from '../model/lifecycle.js';
import {renderJob} from '../model/render.js';
import {decodePageToken, encodePageToken} from '../paging/page-token.js';
import type {JsonObject} from '../proto/normalize-input.js';
import {applyReadMask, parseReadMask} from '../proto/read-mask.js';
import {targetOf} from './job-lookup.js';

/** Default and maximum page size: larger requests are clamped, not rejected. */
export const MAX_LIST_PAGE_SIZE = 100;

export const listNasJobs: ApiHandler = (req, sim) => {
  const target = targetOf(sim, req);
  const filter = queryValue(req.query, 'filter') ?? '';
  const readMask = queryValue(req.query, 'readMask') ?? '';
  const matches = compileOrReject(filter);
  const mask = parseReadMask(readMask, 'NasJob');
  const pageSize = pageSizeOf(req.query, MAX_LIST_PAGE_SIZE, MAX_LIST_PAGE_SIZE);
  const binding = `nasJobs.list|${target.key}|${filter}|${readMask}`;
  const jobs = sim.store.sortedJobs(target);
  const token = queryValue(req.query, 'pageToken');
  let i = token ? firstAfter(jobs, readPosition(decodePageToken(sim.tokenKey, token, binding))) : 0;
  const now = sim.clock.now();
  const isMatch = (job: JobRecord): boolean => {
    advanceJob(job, now);
    return matches(job);
  };
  const page: JobRecord[] = [];
  for (; i < jobs.length && page.length < pageSize; i++) if (isMatch(jobs[i]!)) page.push(jobs[i]!);
  while (i < jobs.length && !isMatch(jobs[i]!)) i++; // look ahead so the last page carries no token
  const body: JsonObject = {};
  if (page.length > 0) body.nasJobs = page.map(job => (mask ? applyReadMask(renderJob(job, false), mask) : renderJob(job, false)));
  const last = page[page.length - 1];
  if (i < jobs.length && last) body.nextPageToken = encodePageToken(sim.tokenKey, binding, [last.createTime, last.name]);
  return ok(body, 'ListNasJobsResponse');
};

function compileOrReject(filter: string): JobPredicate {
  try {
    return compileFilter(filter);
  } catch (err) {
    if (err instanceof FilterError) throw invalidArgument([{field: 'filter', description: err.message}]);
    throw err;
  }
}

function readPosition(position: unknown): ListKey {
  if (Array.isArray(position) && typeof position[0] === 'number' && typeof position[1] === 'string') {
    return {createTime: position[0], name: position[1]};
  }
  throw invalidArgument([{field: 'page_token', description: 'The page token is invalid.'}]);
}

/** Index of the first job strictly after `key` in list order (binary search). */
function firstAfter(jobs: readonly JobRecord[], key: ListKey): number {
  let lo = 0;
  let hi = jobs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareListOrder(jobs[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
