import {notFound, policyDenied} from '../../core/gate/gate-errors.js';
import {RESERVED_REQUEST_ID_LABEL} from '../../core/gate/labels.js';
import type {CancelJobRequest, DeleteJobRequest} from '../../core/gate/gate-request.js';
import {authorize, evaluateAction, mayActIn} from '../../core/policy/index.js';
import type {Caller} from '../../core/policy/verdict.js';
import {enumName, isVertexApiError, toRestJson} from '../../core/vertex/index.js';
import type {AuditNotes} from './audit-call.js';
import type {GateDeps, GateOutcome} from './gate-deps.js';
import {vertexCall} from './vertex-call.js';

/** Cancel or delete through the gate: the job's facts from the mirror (or Vertex), the policy, then Vertex. */
export async function actOnJob(deps: GateDeps, caller: Caller, request: CancelJobRequest | DeleteJobRequest, notes: AuditNotes): Promise<GateOutcome> {
  // Looking the job up may cost a Vertex read; a caller who may not act here at all is refused first.
  if (!mayActIn(deps.policy, caller, request.action, request)) {
    notes.verdict = authorize(deps.policy, caller, request.action, {project: request.project, location: request.location});
    throw policyDenied(notes.verdict.violations);
  }
  const facts = await jobFacts(deps, request);
  const verdict = evaluateAction(deps.policy, {caller, action: request.action, project: request.project, location: request.location, ...facts});
  notes.verdict = verdict;
  if (!verdict.allowed) throw policyDenied(verdict.violations.filter(v => v.mode === 'enforce'));
  notes.resultingJob = request.name;
  if (request.action === 'cancel') {
    await vertexCall(() => deps.vertex.cancelNasJob(request.name));
    return {status: 200, body: withWarnings({}, verdict.warnings)};
  }
  const operation = await vertexCall(() => deps.vertex.deleteNasJob(request.name));
  return {status: 200, body: withWarnings(toRestJson(operation) as object, verdict.warnings)};
}

// Vertex's answer (Empty for cancel, the Operation for delete), plus the policy's warnings as create
// answers them: a warn-mode rule lets the call through, but the caller must hear about it.
function withWarnings(body: object, warnings: readonly string[]): object {
  return warnings.length === 0 ? body : {...body, nasmonPolicy: {warnings}};
}

/**
 * What the policy needs to know about the job. The mirror may lag a fresh job by a poll interval,
 * so a miss falls back to Vertex; a job neither knows is a 404.
 */
async function jobFacts(deps: GateDeps, request: CancelJobRequest | DeleteJobRequest) {
  const mirrored = await deps.store.findJob(request.project, request.location, request.jobId);
  if (mirrored && !mirrored.record.deleted) {
    return {jobState: mirrored.record.state, jobLabels: mirrored.record.job.labels, ...(mirrored.createdBy ? {createdBy: mirrored.createdBy} : {})};
  }
  const job = await deps.vertex.getNasJob(request.name).catch(error => {
    if (isVertexApiError(error, 'NOT_FOUND')) throw notFound(`NasJob ${request.name} not found`);
    return vertexCall(() => Promise.reject(error));
  });
  // By Vertex's name for it (the project's number), as the gate recorded the creator; the caller's
  // path may name the project by its ID.
  const createdBy = await deps.store.jobCreator(job.name, job.labels?.[RESERVED_REQUEST_ID_LABEL]);
  return {jobState: enumName(job.state), jobLabels: job.labels, ...(createdBy ? {createdBy} : {})};
}
