// Behaviour knobs that tests and the local stack may change at runtime (POST /simulator/config).
// All durations are in simulated seconds, as [min, max] ranges drawn uniformly per job or trial.
// A job copies what it needs into its plan at creation, so a change affects jobs created afterwards.

export const SCENARIOS = ['succeed', 'fail-capacity', 'fail-trials', 'stuck-pending', 'stuck-running', 'slow'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const CANCEL_OUTCOMES = ['cancelled', 'race-succeeded', 'race-failed'] as const;
export type CancelOutcome = (typeof CANCEL_OUTCOMES)[number];

export type SecondsRange = readonly [number, number];

export interface SimConfig {
  queuedSeconds: SecondsRange;
  pendingSeconds: SecondsRange;
  capacityFailSeconds: SecondsRange;
  trialRequestSeconds: SecondsRange;
  trialRunSeconds: SecondsRange;
  trainTrialRunSeconds: SecondsRange;
  stoppingSeconds: SecondsRange;
  cancelSeconds: SecondsRange;
  stoppingProbability: number;
  infeasibleProbability: number;
  failTrialsInfeasibleProbability: number;
  cancelRaceProbability: number;
  slowFactor: number;
  deleteNonTerminal: 'reject' | 'allow';
  requireAuth: boolean;
  scenarioMix: Readonly<Partial<Record<Scenario, number>>>;
}

export const RANGE_KEYS = [
  'queuedSeconds', 'pendingSeconds', 'capacityFailSeconds', 'trialRequestSeconds',
  'trialRunSeconds', 'trainTrialRunSeconds', 'stoppingSeconds', 'cancelSeconds',
] as const;
export const PROBABILITY_KEYS = [
  'stoppingProbability', 'infeasibleProbability', 'failTrialsInfeasibleProbability', 'cancelRaceProbability',
] as const;

export function defaultSimConfig(): SimConfig {
  return {
    queuedSeconds: [5, 30],
    pendingSeconds: [60, 300],
    capacityFailSeconds: [120, 600],
    trialRequestSeconds: [10, 60],
    trialRunSeconds: [300, 1200],
    trainTrialRunSeconds: [900, 2400],
    stoppingSeconds: [20, 90],
    cancelSeconds: [30, 120],
    stoppingProbability: 0.15,
    infeasibleProbability: 0.05,
    failTrialsInfeasibleProbability: 0.7,
    cancelRaceProbability: 0.05,
    slowFactor: 10,
    deleteNonTerminal: 'reject',
    requireAuth: false,
    scenarioMix: {'succeed': 0.8, 'fail-capacity': 0.05, 'fail-trials': 0.07, 'stuck-pending': 0.03, 'slow': 0.05},
  };
}
