import {
  auditFieldsOf, enforcementEvent, eventIdOf, jobFactsOf, mergeFinishedTrials, planEnforcement, sourceOfFreshJob, sourceOfRecord,
  trialsOfJob, type EnforcementAction, type JobFacts, type SkippedRule, type StagedTrial,
} from '../../core/enforce/index.js';
import {parseNasJobName, type NasJob} from '../../core/vertex/index.js';
import type {EnforceDeps, EnforceSnapshot, EnforceWrite, StoredProblem} from './enforce-deps.js';

// The body of one evaluation's transaction: facts from the snapshot (or from a fresh `get`), the
// core's plan, and the writes that record it. Pure over its arguments, as a retried transaction needs.

/** The job as Vertex answered a `get` made for this evaluation. */
export type FreshRead = {readonly kind: 'job'; readonly job: NasJob} | {readonly kind: 'gone'};

/** What the evaluation came to. */
export type Decided =
  | {
      readonly kind: 'planned';
      readonly actions: readonly EnforcementAction[];
      readonly attempt?: number;
      readonly skipped: readonly SkippedRule[];
      readonly recordProblem?: StoredProblem;
      readonly jobState?: string;
    }
  | {readonly kind: 'needs-fresh'}
  | {readonly kind: 'unreadable-state'; readonly problem: StoredProblem};

/** Decides one evaluation of `jobName` on what the transaction read. */
export function decideEvaluation(
  deps: Pick<EnforceDeps, 'policy' | 'settings'>, jobName: string, snapshot: EnforceSnapshot,
  reported: readonly StagedTrial[], fresh: FreshRead | undefined, now: Date,
): {write?: EnforceWrite; result: Decided} {
  if (snapshot.stateProblem) return {result: {kind: 'unreadable-state', problem: snapshot.stateProblem}};
  const freshJob = fresh?.kind === 'job' ? fresh.job : undefined;
  const state = mergeFinishedTrials(snapshot.state, [...reported, ...(freshJob ? trialsOfJob(freshJob) : [])]);
  const facts = factsOf(snapshot, state, fresh);
  const plan = planEnforcement({
    ...(facts ? {facts} : {}), state, policy: deps.policy, nowMs: now.getTime(),
    forceDryRun: deps.settings.forceDryRun, fresh: fresh !== undefined,
  });
  if (plan.kind === 'needs-fresh') return {result: plan};
  const jobState = facts?.state ?? snapshot.record?.state ?? 'UNKNOWN';
  const result: Decided = {
    kind: 'planned', actions: plan.actions, skipped: plan.skipped, ...(facts ? {jobState} : {}),
    ...(plan.attempt === undefined ? {} : {attempt: plan.attempt}),
    ...(snapshot.recordProblem ? {recordProblem: snapshot.recordProblem} : {}),
  };
  // A quiet evaluation writes nothing: no document churn on every trial event or tick.
  if (plan.actions.length === 0 && JSON.stringify(plan.state) === JSON.stringify(snapshot.state)) return {result};
  const time = now.toISOString();
  const write: EnforceWrite = {
    state: plan.state,
    audit: plan.actions.map(action => ({
      key: action.key, jobName, time,
      fields: {...auditFieldsOf(action, jobState), ...(action.publish ? {eventId: eventIdOf(jobName, action.key)} : {})},
    })),
    events: plan.actions.filter(action => action.publish).map(action => enforcementEvent(jobName, jobState, action, time)),
    targetKey: snapshot.target?.targetKey ?? fallbackTargetKey(jobName),
  };
  return {write, result};
}

function factsOf(snapshot: EnforceSnapshot, state: EnforceSnapshot['state'], fresh: FreshRead | undefined): JobFacts | undefined {
  const project = snapshot.target?.project;
  if (fresh?.kind === 'job') return jobFactsOf(sourceOfFreshJob(fresh.job, project), state);
  if (!snapshot.record) return undefined;
  const facts = jobFactsOf(sourceOfRecord(snapshot.record, project), state);
  return fresh?.kind === 'gone' ? {...facts, deleted: true} : facts;
}

// Only for a job the mirror does not hold: its events then wait under the project in its name.
function fallbackTargetKey(jobName: string): string {
  const ref = parseNasJobName(jobName);
  return ref ? `${ref.project}:${ref.location}` : jobName;
}
