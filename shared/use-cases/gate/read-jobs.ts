import {notFound, policyDenied} from '../../core/gate/gate-errors.js';
import type {FilterTerm, GetJobRequest, ListJobsRequest} from '../../core/gate/gate-request.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import {authorize, mayActIn, mayListJob} from '../../core/policy/index.js';
import type {Caller} from '../../core/policy/verdict.js';
import {toRestJson} from '../../core/vertex/index.js';
import type {AuditNotes} from './audit-call.js';
import type {GateDeps, GateOutcome} from './gate-deps.js';
import {vertexCall} from './vertex-call.js';

/**
 * Get from the mirror: the NasJob as Vertex shapes it, plus its transition history. The mirror lags
 * a fresh job by up to a poll interval, so a job it has not seen yet is read from Vertex (as cancel
 * and delete do), with an empty history: a caller that checks on the job it just created finds it.
 */
export async function getJob(deps: GateDeps, caller: Caller, request: GetJobRequest, notes: AuditNotes): Promise<GateOutcome> {
  const mirrored = await deps.store.findJob(request.project, request.location, request.jobId);
  if (mirrored) {
    authorizeRead(deps, caller, request, mirrored.record.job.labels.team, notes);
    if (mirrored.record.deleted) throw notFound(`NasJob ${request.name} not found`);
    const history = await deps.store.jobHistory(mirrored.record.name);
    return {status: 200, body: {...(toRestJson(mirrored.record.job) as object), nasmonHistory: history, nasmonTrials: mirrored.record.stages}};
  }
  // A Vertex read costs quota: a caller who may not read here at all is refused before it.
  if (!mayActIn(deps.policy, caller, 'get', request)) authorizeRead(deps, caller, request, undefined, notes);
  const job = await vertexCall(() => deps.vertex.getNasJob(request.name)); // its 404 passes through as Vertex's
  authorizeRead(deps, caller, request, job.labels.team, notes);
  return {status: 200, body: {...(toRestJson(job) as object), nasmonHistory: []}};
}

/** The read's verdict, noted for the audit; throws 403 when it is a refusal. */
function authorizeRead(deps: GateDeps, caller: Caller, request: GetJobRequest, team: string | undefined, notes: AuditNotes): void {
  const verdict = authorize(deps.policy, caller, 'get', {project: request.project, location: request.location, ...(team ? {team} : {})});
  notes.verdict = verdict;
  if (!verdict.allowed) throw policyDenied(verdict.violations);
}

/**
 * List from the mirror, newest first, only the jobs the caller may see. The filter and the access
 * check are applied to each page of the mirror, so a page may hold fewer than `pageSize` jobs; the
 * token still walks the whole target.
 */
export async function listJobs(deps: GateDeps, caller: Caller, request: ListJobsRequest, notes: AuditNotes): Promise<GateOutcome> {
  const verdict = authorize(deps.policy, caller, 'list', {project: request.project, location: request.location});
  notes.verdict = verdict;
  if (!verdict.allowed) throw policyDenied(verdict.violations);
  const {pageSize, pageToken, filter} = request.query;
  const page = await deps.store.listJobs(request.project, request.location, {pageSize, ...(pageToken ? {pageToken} : {})});
  // Only the jobs of teams the caller may see: the same answer `get` would give for each.
  const visible = (record: JobRecord) => mayListJob(deps.policy, caller, verdict.team, {
    project: request.project, location: request.location, ...(record.job.labels.team ? {team: record.job.labels.team} : {}),
  });
  const jobs = page.jobs.map(job => job.record).filter(record => visible(record) && (!filter || filter.terms.every(term => matches(record, term))));
  return {status: 200, body: {nasJobs: jobs.map(record => toRestJson(record.job)), ...(page.nextPageToken ? {nextPageToken: page.nextPageToken} : {})}};
}

function matches(record: JobRecord, term: FilterTerm): boolean {
  const {job} = record;
  switch (term.field) {
    case 'state':
      return (record.state === term.value) === (term.op === '=');
    case 'displayName':
      return (job.displayName === term.value) === (term.op === '=');
    case 'createTime': {
      const [a, b] = [Date.parse(job.createTime ?? ''), Date.parse(term.value)];
      return term.op === '<' ? a < b : term.op === '<=' ? a <= b : term.op === '>' ? a > b : a >= b;
    }
    case 'label':
      if (term.op === 'has') return Object.hasOwn(job.labels, term.key);
      return (job.labels[term.key] === term.value) === (term.op === '=');
  }
}
