import {objectiveOf} from '../poll/diff-trials.js';
import type {RuntimePolicy} from '../policy/policy.js';
import {parseTimestampMs} from '../vertex/index.js';
import type {DashboardJob} from './dashboard-inputs.js';
import {runtimeOf, type RuntimeView} from './runtime-limit.js';

/** Trial progress of the search stage, and the best metric so far (from the mirror's counts). */
export interface TrialSummary {
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
  readonly total: number;
  /** `maxTrialCount`, when the spec gives it. */
  readonly max?: number;
  readonly best?: {readonly value: number; readonly trialId: string; readonly metricId: string; readonly goal: 'MAXIMIZE' | 'MINIMIZE'};
}

/** One line of the job table. Strings are raw: the page escapes them (it only ever sets text). */
export interface JobRow {
  readonly id: string;
  readonly name: string;
  readonly jobId: string;
  readonly displayName: string;
  /** The state without its `JOB_STATE_` prefix; `DELETED` once the job is gone from Vertex. */
  readonly state: string;
  readonly project: string;
  readonly location: string;
  readonly team: string | null;
  readonly createTime: string | null;
  readonly ageSeconds: number | null;
  readonly runtime: RuntimeView | null;
  readonly trials: TrialSummary | null;
}

/** `JOB_STATE_RUNNING` → `RUNNING`; unknown values pass unchanged. */
export function shortState(state: string): string {
  return state.startsWith('JOB_STATE_') ? state.slice('JOB_STATE_'.length) : state;
}

/** The table line of one job at `nowMs`; `runtime` is the policy's runtime section, if there is one. */
export function toJobRow(job: DashboardJob, runtime: RuntimePolicy | undefined, nowMs: number): JobRow {
  const {record} = job;
  const createMs = record.job.createTime === undefined ? undefined : parseTimestampMs(record.job.createTime);
  return {
    id: job.id,
    name: record.name,
    jobId: record.name.slice(record.name.lastIndexOf('/') + 1),
    displayName: record.job.displayName,
    state: record.deleted ? 'DELETED' : shortState(record.state),
    project: job.project,
    location: job.location,
    team: job.team ?? null,
    createTime: record.job.createTime ?? null,
    ageSeconds: createMs === undefined ? null : Math.max(0, nowMs - createMs) / 1000,
    runtime: runtimeOf(job, runtime, nowMs) ?? null,
    trials: trialSummaryOf(job),
  };
}

function trialSummaryOf(job: DashboardJob): TrialSummary | null {
  const stage = job.record.stages.search;
  if (!stage) return null;
  const {counts} = stage;
  const objective = objectiveOf(job.record.job);
  const best = stage.best && objective ? {best: {...stage.best, ...objective}} : {};
  return {
    succeeded: counts.succeeded, failed: counts.infeasible, running: counts.running, total: counts.total,
    ...(counts.max === undefined ? {} : {max: counts.max}), ...best,
  };
}
