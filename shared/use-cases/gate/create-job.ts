import {conflict} from './gate-outcomes.js';
import {policyDenied} from '../../core/gate/gate-errors.js';
import type {CreateJobRequest} from '../../core/gate/gate-request.js';
import {countsTeamJobs, evaluateCreate} from '../../core/policy/index.js';
import type {Caller, Verdict} from '../../core/policy/verdict.js';
import {toRestJson, type NasJob} from '../../core/vertex/index.js';
import type {CreateIntent} from '../../ports/gate-store.js';
import {outboxTarget, type AuditNotes} from './audit-call.js';
import type {GateDeps, GateOutcome} from './gate-deps.js';
import {vertexCall} from './vertex-call.js';

/**
 * Create through the gate: an idempotency claim when the caller sent a requestId, the policy (with
 * the job's team's active jobs counted atomically against racing creates), then the create in Vertex.
 * `validateOnly` stops after the verdict and never claims or reserves anything.
 */
export async function createJob(deps: GateDeps, caller: Caller, request: CreateJobRequest, notes: AuditNotes): Promise<GateOutcome> {
  notes.validateOnly = request.validateOnly;
  const key = deps.requestKey(caller.email, request.requestId ?? deps.newId());
  const idempotent = request.requestId !== undefined && !request.validateOnly;
  if (idempotent) {
    // A retry of a finished create gets the same job back before any policy work: it was decided then.
    const claim = await waitForClaim(deps, key, caller.email);
    if (claim.kind === 'done') {
      notes.resultingJob = claim.job.name;
      return {status: 200, body: toRestJson(claim.job)};
    }
  }
  try {
    return await decideAndCreate(deps, caller, request, key, notes);
  } catch (error) {
    if (idempotent) await deps.store.releaseRequest(key).catch(() => undefined);
    throw error;
  }
}

async function decideAndCreate(deps: GateDeps, caller: Caller, request: CreateJobRequest, key: string, notes: AuditNotes): Promise<GateOutcome> {
  const {project, location} = request;
  const evaluate = (activeJobsByTeam: Record<string, number>): Verdict =>
    (notes.verdict = evaluateCreate(deps.policy, {caller, project, location, job: request.body, activeJobsByTeam}));
  // A first verdict, before any count, names the job's team (a mutation may set it: the caller's team
  // is not the job's when a pipeline submits for a team) and shows whether other rules deny it anyway.
  const first = evaluate({});
  const team = first.job?.labels?.team;
  const counted = team !== undefined && countsTeamJobs(deps.policy, project, location, team) && (request.validateOnly || first.allowed);
  // What recovery needs should this instance stop between the create and its audit entry (see below).
  const auditId = (notes.auditId ??= deps.newId());
  const intent = (slotTeam?: string) => intentOf(deps, caller, request, {auditId, key, verdict: notes.verdict!, ...(slotTeam ? {team: slotTeam} : {})});
  let reserved = false;
  if (counted && !request.validateOnly) {
    // Counted and reserved atomically (GateStore.reserveTeamSlot), so racing creates cannot pass an enforced limit, and a
    // job not mirrored yet still counts for the next create (for warn and audit limits too). The intent rides along.
    reserved = await deps.store.reserveTeamSlot(team, key, active => evaluate({[team]: active}).allowed, () => intent(team));
  } else if (counted) {
    // A dry run reserves nothing: a count (shared by the dry runs of a few seconds) is enough.
    evaluate({[team]: await deps.store.countTeamJobs(team)});
  }
  const verdict = notes.verdict!;
  if (request.validateOnly) return {status: 200, body: verdictBody(verdict)};
  if (!verdict.allowed) throw policyDenied(verdict.violations.filter(v => v.mode === 'enforce'));
  // The intent is written before the create (in the reservation's commit) or beside it (a commit of
  // its own, not waited for before the create: it lands first, as Vertex takes far longer to create a
  // job than Firestore to commit). Should this instance stop before the audit entry is written,
  // recovery writes it from the intent (recoverGateCreates); the audit entry's write deletes it.
  const intentWritten = reserved ? Promise.resolve(true) : deps.store.recordIntent(intent()).then(() => true, (error: unknown) => {
    deps.log.warn('could not record a create intent; the create goes on, and its answer waits for the audit write', {auditId, error: error as Error});
    return false;
  });
  let job: NasJob | undefined;
  try {
    // The key is the job's request_id label either way, which is how recovery finds the job. Only a
    // caller's requestId can have run before (a retry, a takeover after a crash), so only then does
    // the client look for an earlier job before it creates one.
    job = await vertexCall(() => deps.vertex.createNasJob(request.parent, verdict.job ?? request.body, {requestId: key, lookFirst: request.requestId !== undefined}));
    if (request.requestId !== undefined) await deps.store.completeRequest(key, job, caller.email);
  } finally {
    // The audit entry's write (handleGateCall) ties the slot to the job, or frees it if none was made,
    // and deletes the intent: after the intent's own write, even a failed one (it may have landed).
    notes.intent = (await intentWritten) ? 'written' : 'tried';
    if (reserved) notes.teamSlot = {team: team!, key, ...(job ? {jobName: job.name} : {})};
  }
  notes.resultingJob = job.name;
  return {status: 200, body: withVerdict(toRestJson(job), verdict)};
}

// A concurrent duplicate waits for the first create to finish rather than creating a second job.
async function waitForClaim(deps: GateDeps, key: string, caller: string) {
  const sleep = deps.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  const deadline = deps.now().getTime() + (deps.duplicateWaitMs ?? 20_000);
  for (;;) {
    const claim = await deps.store.claimRequest(key, caller, deps.claimTtlMs ?? 60_000);
    if (claim.kind !== 'in-progress') return claim;
    if (deps.now().getTime() >= deadline) throw conflict('a create with this requestId is still in progress; retry later');
    await sleep(250);
  }
}

function intentOf(deps: GateDeps, caller: Caller, request: CreateJobRequest, made: {auditId: string; key: string; verdict: Verdict; team?: string}): CreateIntent {
  const {project, location, parent, requestId} = request;
  const {violations, warnings, mutations} = made.verdict;
  return {
    id: made.auditId, time: deps.now().toISOString(), caller: caller.email, project, location, parent, requestKey: made.key,
    ...(requestId === undefined ? {} : {requestId}), violations, warnings, mutations,
    ...(made.team === undefined ? {} : {slotTeam: made.team}),
    outboxTarget: outboxTarget(deps, project, location),
  };
}

function verdictBody(verdict: Verdict): unknown {
  const {allowed, violations, warnings, mutations, projectedAcceleratorHours, job, team} = verdict;
  return {allowed, violations, warnings, mutations, projectedAcceleratorHours, team, job};
}

// The answer is the created NasJob, as Vertex would return it, plus what the policy said about it.
function withVerdict(job: unknown, verdict: Verdict): unknown {
  if (verdict.warnings.length === 0 && verdict.mutations.length === 0) return job;
  return {...(job as object), nasmonPolicy: {warnings: verdict.warnings, mutations: verdict.mutations}};
}
