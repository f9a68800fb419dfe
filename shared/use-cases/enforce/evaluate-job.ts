import type {EnforcementAction, StagedTrial} from '../../core/enforce/index.js';
import {isVertexApiError} from '../../core/vertex/index.js';
import {publishBatches} from '../poll/publish-batches.js';
import {decideEvaluation, type Decided, type FreshRead} from './decide-evaluation.js';
import type {EnforceDeps, EnforceSnapshot, EnforceWrite} from './enforce-deps.js';
import {sendCancel} from './send-cancel.js';

/** How long a job whose enforce state cannot be read waits before it is tried again. */
const UNREADABLE_RETRY_MS = 60 * 60_000;
/** How long a cancel waits when the `get` before it failed. */
const FRESH_READ_RETRY_MS = 60_000;

/** What one evaluation did. */
export interface EvaluationReport {
  readonly job: string;
  readonly actions: readonly EnforcementAction[];
  /** The cancel attempt sent to Vertex, if one was. */
  readonly attempt?: number;
  readonly deferred?: boolean;
}

/**
 * Evaluates one job: reads its mirror record, then in one transaction its enforce state, plans, and
 * records the actions (audit entries, state, outbox) together; then publishes and, if planned, cancels. A
 * cancel decided on the mirror's word is first checked against a fresh `get`, so a job that has just
 * finished, or whose trials look better from Vertex's side, is not cancelled on stale data.
 */
export async function evaluateJob(deps: EnforceDeps, jobName: string, reported: readonly StagedTrial[] = [], fresh?: FreshRead): Promise<EvaluationReport> {
  const now = deps.now();
  const {result, batches} = await deps.store.transact(jobName, snapshot => decideEvaluation(deps, jobName, snapshot, reported, fresh, now));
  if (result.kind === 'needs-fresh') {
    const read = await readFresh(deps, jobName);
    if (read) return evaluateJob(deps, jobName, reported, read);
    await deps.store.transact(jobName, snapshot => ({result: undefined, ...postponeWrite(snapshot, now.getTime() + FRESH_READ_RETRY_MS)}));
    return {job: jobName, actions: [], deferred: true};
  }
  if (result.kind === 'unreadable-state') {
    deps.log.error('skipping a job whose enforce state is unreadable', {job: jobName, field: result.problem.field, reason: result.problem.reason});
    await deps.store.postpone(jobName, new Date(now.getTime() + UNREADABLE_RETRY_MS), result.problem);
    return {job: jobName, actions: [], deferred: true};
  }
  logDecided(deps, jobName, result);
  await publishBatches(deps, batches);
  if (result.attempt === undefined) return {job: jobName, actions: result.actions};
  await sendCancel(deps, jobName, result.attempt);
  return {job: jobName, actions: result.actions, attempt: result.attempt};
}

// The `get` before a cancel. 404 is an answer (the job is gone); any other failure defers the cancel.
async function readFresh(deps: EnforceDeps, jobName: string): Promise<FreshRead | undefined> {
  try {
    return {kind: 'job', job: await deps.vertex.getNasJob(jobName)};
  } catch (error) {
    if (isVertexApiError(error, 'NOT_FOUND')) return {kind: 'gone'};
    deps.log.warn('could not read the job before cancelling it; trying again later', {job: jobName, error: error as Error});
    return undefined;
  }
}

// Only the due time moves: nothing is decided on the snapshot the cancel was doubted on.
function postponeWrite(snapshot: EnforceSnapshot, dueMs: number): {write?: EnforceWrite} {
  if (snapshot.stateProblem) return {};
  return {write: {state: {...snapshot.state, dueMs}, audit: [], events: [], targetKey: snapshot.target?.targetKey ?? ''}};
}

function logDecided(deps: EnforceDeps, job: string, result: Extract<Decided, {kind: 'planned'}>): void {
  if (result.recordProblem) {
    deps.log.warn('skipping a job whose mirror record is unreadable', {job, field: result.recordProblem.field, reason: result.recordProblem.reason});
  }
  for (const skip of result.skipped) {
    deps.log.warn('skipping a rule: the job lacks a field it needs', {job, rule: skip.rule, field: skip.field, reason: skip.reason});
  }
  for (const action of result.actions) {
    deps.log.info('enforcement action', {job, rule: action.rule, action: action.action, key: action.key, dryRun: action.dryRun, reason: action.reason});
  }
}
