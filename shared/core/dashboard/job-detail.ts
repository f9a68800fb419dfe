import {objectiveOf} from '../poll/diff-trials.js';
import type {RuntimePolicy} from '../policy/policy.js';
import {buildActivity, type Activity} from './activity.js';
import type {JobFile, TrialsResult} from './dashboard-inputs.js';
import {toJobRow, type JobRow} from './job-row.js';
import {buildTimeline, type Timeline} from './timeline.js';
import {buildTrialCurves, type TrialCurve} from './trial-curve.js';

/** The trial curves, or why there are none. */
export type CurvesView =
  | {readonly status: 'ok'; readonly curves: readonly TrialCurve[]}
  | {readonly status: 'none' | 'unavailable'; readonly message: string};

/** Everything the page shows about one job. */
export interface JobDetailView extends Activity {
  readonly job: JobRow;
  readonly labels: Readonly<Record<string, string>>;
  /** Vertex's error of a FAILED or CANCELLED job. */
  readonly error?: string;
  readonly timeline?: Timeline;
  readonly trials: CurvesView;
  readonly cancel?: JobFile['cancel'];
}

/** The detail view of one job from everything stored about it and its trials. */
export function buildJobDetail(file: JobFile, trials: TrialsResult, runtime: RuntimePolicy | undefined, nowMs: number): JobDetailView {
  const {job} = file.job.record;
  const timeline = buildTimeline(file.history, nowMs);
  const error = job.error ? `code ${job.error.code}: ${job.error.message}` : undefined;
  return {
    job: toJobRow(file.job, runtime, nowMs),
    labels: job.labels,
    ...(error ? {error} : {}),
    ...(timeline ? {timeline} : {}),
    trials: curvesOf(file, trials),
    ...(file.cancel ? {cancel: file.cancel} : {}),
    ...buildActivity(file),
  };
}

function curvesOf(file: JobFile, trials: TrialsResult): CurvesView {
  const objective = objectiveOf(file.job.record.job);
  if (!objective) return {status: 'none', message: 'the job names no metric to optimise'};
  if (trials.kind === 'unavailable') return {status: 'unavailable', message: trials.reason};
  const curves = trials.kind === 'trials' ? buildTrialCurves(trials.trials, objective) : [];
  return curves.length > 0 ? {status: 'ok', curves} : {status: 'none', message: 'no trial has finished yet'};
}
