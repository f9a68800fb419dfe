import type {JobRecord, TrialCounts} from '../poll/job-record.js';
import {enumName, parseNasJobName, parseTimestampMs, type NasJob} from '../vertex/index.js';
import type {EnforceState} from './enforce-state.js';
import {lastFinishMs, searchDurations, trialsOfJob} from './trial-log.js';

// The facts the runtime rules judge a job by, taken from the mirror's record (or a fresh `get`) and
// enforce's own trial log. Fields that are missing or malformed become `problems` naming the field,
// so the rules that need them are skipped with a reason instead of acting on garbage.

/** A field of the job that a rule needed and could not use. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/** Search-stage progress. */
export interface SearchProgress {
  readonly maxTrialCount?: number;
  readonly maxParallelTrialCount?: number;
  /** 0 or absent: Vertex decides. */
  readonly maxFailedTrialCount?: number;
  /** SUCCEEDED plus INFEASIBLE search trials. */
  readonly finished: number;
  readonly failed: number;
  /** Run times (seconds) of recent SUCCEEDED search trials. */
  readonly durations: readonly number[];
}

/** One job as the rules see it. */
export interface JobFacts {
  readonly name: string;
  /** The target's project as configured (an ID) and as Vertex names it (a number): selectors match either. */
  readonly projects: readonly string[];
  readonly location: string;
  readonly state: string;
  readonly deleted: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly createMs?: number;
  readonly startMs?: number;
  readonly search: SearchProgress;
  /** When a trial last finished, as far as enforce can tell without ever overstating a stall. */
  readonly lastProgressMs?: number;
  readonly problems: readonly FieldProblem[];
}

/** Where facts come from: a snapshot of the job plus what the mirror counted. */
export interface JobSource {
  readonly job: NasJob;
  readonly state: string;
  readonly deleted: boolean;
  readonly configuredProject?: string;
  readonly searchCounts?: Pick<TrialCounts, 'succeeded' | 'infeasible'>;
  /** Finished trials of both stages, as counted by whoever read the job. */
  readonly finishedTrials: number;
  /** The job's updateTime when its trials were last read: no trial can have finished after it. */
  readonly trialsUpdateTime?: string;
}

/** The source of a mirrored record. */
export function sourceOfRecord(record: JobRecord, configuredProject?: string): JobSource {
  const counts = Object.values(record.stages).map(stage => stage.counts);
  return {
    job: record.job, state: record.state, deleted: record.deleted,
    finishedTrials: counts.reduce((sum, c) => sum + c.succeeded + c.infeasible, 0),
    ...(record.stages.search ? {searchCounts: record.stages.search.counts} : {}),
    ...(record.trialsUpdateTime === undefined ? {} : {trialsUpdateTime: record.trialsUpdateTime}),
    ...(configuredProject === undefined ? {} : {configuredProject}),
  };
}

/** The source of a job just read with `get`, trials included. */
export function sourceOfFreshJob(job: NasJob, configuredProject?: string): JobSource {
  const trials = trialsOfJob(job);
  const finished = (stage: string, state: string) => trials.filter(t => t.stage === stage && enumName(t.trial.state) === state).length;
  return {
    job, state: enumName(job.state), deleted: false,
    searchCounts: {succeeded: finished('search', 'SUCCEEDED'), infeasible: finished('search', 'INFEASIBLE')},
    finishedTrials: trials.filter(t => ['SUCCEEDED', 'INFEASIBLE'].includes(enumName(t.trial.state))).length,
    ...(configuredProject === undefined ? {} : {configuredProject}),
  };
}

/** The facts of a job; `state` must already hold the trials the source knows of. */
export function jobFactsOf(source: JobSource, state: EnforceState): JobFacts {
  const {job} = source;
  const problems: FieldProblem[] = [];
  const time = (field: 'createTime' | 'startTime'): number | undefined => {
    const text = job[field];
    if (text === undefined) return undefined;
    const ms = parseTimestampMs(text);
    if (ms === undefined) problems.push({field: `job.${field}`, reason: `not an RFC 3339 time: ${JSON.stringify(text).slice(0, 60)}`});
    return ms;
  };
  const createMs = time('createTime');
  const startMs = time('startTime');
  if (source.state === 'JOB_STATE_RUNNING' && job.startTime === undefined) problems.push({field: 'job.startTime', reason: 'missing on a running job'});
  const ref = parseNasJobName(job.name);
  if (!ref) problems.push({field: 'job.name', reason: 'not projects/*/locations/*/nasJobs/*'});
  const spec = job.nasJobSpec?.multiTrialAlgorithmSpec?.searchTrialSpec;
  const counts = source.searchCounts ?? {succeeded: 0, infeasible: 0};
  // Missed trial events leave the log short of the mirror's count; the last trial read then stands
  // in for the last finish, which can only make a stall look shorter, never longer.
  const logged = lastFinishMs(state.trials);
  const complete = state.trialsSeen >= source.finishedTrials;
  const readMs = complete || source.trialsUpdateTime === undefined ? undefined : parseTimestampMs(source.trialsUpdateTime);
  const lastProgressMs = logged === undefined ? readMs : readMs === undefined ? logged : Math.max(logged, readMs);
  return {
    name: job.name,
    projects: [...new Set([source.configuredProject, ref?.project].filter((p): p is string => p !== undefined))],
    location: ref?.location ?? '',
    state: source.state,
    deleted: source.deleted,
    labels: job.labels,
    ...(createMs === undefined ? {} : {createMs}),
    ...(startMs === undefined ? {} : {startMs}),
    search: {
      ...(spec ? {maxTrialCount: spec.maxTrialCount, maxParallelTrialCount: spec.maxParallelTrialCount} : {}),
      ...(spec?.maxFailedTrialCount === undefined ? {} : {maxFailedTrialCount: spec.maxFailedTrialCount}),
      finished: counts.succeeded + counts.infeasible,
      failed: counts.infeasible,
      durations: searchDurations(state.trials),
    },
    ...(lastProgressMs === undefined ? {} : {lastProgressMs}),
    problems,
  };
}
