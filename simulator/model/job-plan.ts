// Draws a job's fate at creation from its own random stream: the scenario (unless a `sim-scenario`
// label steers it), the cancel outcome (unless `sim-cancel` does), phase durations and the metric curve.
import {secondsToMicros} from '../proto/time-format.js';
import type {JobPlan} from './job-record.js';
import type {Rng} from './prng.js';
import {CANCEL_OUTCOMES, SCENARIOS, type CancelOutcome, type Scenario, type SecondsRange, type SimConfig} from './sim-config.js';

export const SCENARIO_LABEL = 'sim-scenario';
export const CANCEL_LABEL = 'sim-cancel';

export function isScenario(value: string): value is Scenario {
  return (SCENARIOS as readonly string[]).includes(value);
}

export function isCancelOutcome(value: string): value is CancelOutcome {
  return (CANCEL_OUTCOMES as readonly string[]).includes(value);
}

export interface PlanInputs {
  labels: Readonly<Record<string, string>>;
  maximize: boolean;
  maxTrials: number;
}

export function drawPlan(rng: Rng, config: SimConfig, inputs: PlanInputs): JobPlan {
  const scenario = chooseScenario(rng, config, inputs.labels[SCENARIO_LABEL]);
  const cancelOutcome = chooseCancelOutcome(rng, config, inputs.labels[CANCEL_LABEL]);
  const speed = scenario === 'slow' ? config.slowFactor : 1;
  const micros = (range: SecondsRange, factor = 1): number => secondsToMicros(rng.uniform(range[0], range[1]) * factor);
  const scaled = (range: SecondsRange): readonly [number, number] => [secondsToMicros(range[0] * speed), secondsToMicros(range[1] * speed)];
  return {
    scenario,
    cancelOutcome,
    queuedMicros: micros(config.queuedSeconds),
    pendingMicros: micros(config.pendingSeconds, speed),
    capacityFailMicros: micros(config.capacityFailSeconds),
    cancelMicros: micros(config.cancelSeconds),
    trialRequest: scaled(config.trialRequestSeconds),
    trialRun: scaled(config.trialRunSeconds),
    trainRun: scaled(config.trainTrialRunSeconds),
    stopping: scaled(config.stoppingSeconds),
    stoppingProbability: config.stoppingProbability,
    infeasibleProbability: scenario === 'fail-trials' ? config.failTrialsInfeasibleProbability : config.infeasibleProbability,
    curve: drawCurve(rng, inputs.maximize, inputs.maxTrials),
  };
}

function chooseScenario(rng: Rng, config: SimConfig, label: string | undefined): Scenario {
  const drawn = rng.weighted(config.scenarioMix); // always drawn, so a label does not shift later draws
  return label !== undefined && isScenario(label) ? label : drawn;
}

function chooseCancelOutcome(rng: Rng, config: SimConfig, label: string | undefined): CancelOutcome {
  const raced = rng.chance(config.cancelRaceProbability);
  const drawn: CancelOutcome = !raced ? 'cancelled' : rng.chance(0.5) ? 'race-succeeded' : 'race-failed';
  return label !== undefined && isCancelOutcome(label) ? label : drawn;
}

/** Accuracy-like metrics climb from ~0.45 towards ~0.9; loss-like ones fall from ~2 towards ~0.35. */
function drawCurve(rng: Rng, maximize: boolean, maxTrials: number): JobPlan['curve'] {
  const tau = Math.max(3, maxTrials / 4);
  if (maximize) return {start: rng.uniform(0.35, 0.55), end: rng.uniform(0.82, 0.95), tau, noise: 0.025};
  return {start: rng.uniform(1.6, 2.4), end: rng.uniform(0.25, 0.45), tau, noise: 0.05};
}

/** Uniform draw inside a [min, max] microsecond range. */
export function drawMicros(rng: Rng, range: readonly [number, number]): number {
  return Math.round(rng.uniform(range[0], range[1]));
}
