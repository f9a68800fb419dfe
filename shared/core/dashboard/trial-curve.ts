import type {TrialStage} from '../poll/job-record.js';
import type {TrialReading} from './dashboard-inputs.js';

// The trial curve of one stage: each finished trial's metric in the order trials finished, and the
// best-so-far line. "Best" follows the job's goal, exactly as the poller's bestImproved events do:
// SUCCEEDED trials with a finite value only, and a tie keeps the earlier best.

/** One finished trial; x and y are fractions of the plot (y grows with the value). */
export interface CurvePoint {
  readonly trialId: string;
  readonly endTime?: string;
  readonly value: number;
  /** The best value once this trial had finished. */
  readonly best: number;
  /** This trial set a new best. */
  readonly improved: boolean;
  readonly x: number;
  readonly y: number;
}

/** One stage's curve. */
export interface TrialCurve {
  readonly stage: TrialStage;
  readonly metricId: string;
  readonly goal: 'MAXIMIZE' | 'MINIMIZE';
  readonly points: readonly CurvePoint[];
  /** The best-so-far line as a staircase through the points, ready to draw. */
  readonly bestPath: ReadonlyArray<readonly [number, number]>;
  readonly min: number;
  readonly max: number;
  /** Finished trials without a value for the metric (INFEASIBLE, or measured without it). */
  readonly unmeasured: number;
}

/** The curves of every stage that has finished trials, search first. */
export function buildTrialCurves(trials: readonly TrialReading[], objective: {metricId: string; goal: 'MAXIMIZE' | 'MINIMIZE'}): TrialCurve[] {
  return (['search', 'train'] as const).flatMap(stage => {
    const curve = curveOf(stage, trials.filter(trial => trial.stage === stage), objective);
    return curve ? [curve] : [];
  });
}

function curveOf(stage: TrialStage, trials: readonly TrialReading[], {metricId, goal}: {metricId: string; goal: 'MAXIMIZE' | 'MINIMIZE'}): TrialCurve | undefined {
  const finished = trials.filter(trial => trial.state === 'SUCCEEDED' || trial.state === 'INFEASIBLE');
  const measured = finished
    .filter(trial => trial.state === 'SUCCEEDED' && Number.isFinite(trial.metrics[metricId]))
    .sort(byFinish);
  if (finished.length === 0) return undefined;
  const values = measured.map(trial => trial.metrics[metricId]!);
  const [min, max] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 0];
  const y = (value: number) => (max === min ? 0.5 : (value - min) / (max - min));
  const x = (index: number) => (measured.length === 1 ? 0.5 : index / (measured.length - 1));
  let best: number | undefined;
  const points = measured.map((trial, index): CurvePoint => {
    const value = values[index]!;
    const improved = best === undefined || (goal === 'MAXIMIZE' ? value > best : value < best);
    if (improved) best = value;
    return {trialId: trial.id, ...(trial.endTime ? {endTime: trial.endTime} : {}), value, best: best!, improved, x: x(index), y: y(value)};
  });
  const bestPath: Array<readonly [number, number]> = [];
  points.forEach((point, index) => {
    if (index > 0) bestPath.push([point.x, y(points[index - 1]!.best)]);
    if (point.improved || index === 0) bestPath.push([point.x, y(point.best)]); // a step up (or down) only where the best moved
  });
  return {stage, metricId, goal, points, bestPath, min, max, unmeasured: finished.length - measured.length};
}

// Finish order: end time, then the numeric trial id (Vertex numbers trials in start order).
function byFinish(a: TrialReading, b: TrialReading): number {
  const [ea, eb] = [Date.parse(a.endTime ?? ''), Date.parse(b.endTime ?? '')];
  if (ea !== eb && !(Number.isNaN(ea) && Number.isNaN(eb))) return Number.isNaN(ea) ? 1 : Number.isNaN(eb) ? -1 : ea - eb;
  return Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
}
