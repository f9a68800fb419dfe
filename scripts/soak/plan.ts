// What the soak's workload will do, drawn up front from the seed: every job's moment of appearance
// over the run, whether other users of Vertex make it (seeded in the simulator) or a caller creates
// it through the gate, its target, fate (a simulator scenario), trial counts, and what its caller
// will do with it later (cancel it, delete it once finished).
import {seededRandom} from '../local/seeded-random.js';

/** Four targets, two projects × two regions, as the local demo's; `--targets=2` takes both projects in us-central1. */
export const SOAK_TARGETS = [
  {project: 'soak-vision', location: 'us-central1'},
  {project: 'soak-speech', location: 'us-central1'},
  {project: 'soak-vision', location: 'europe-west4'},
  {project: 'soak-speech', location: 'europe-west4'},
] as const;
export type SoakTarget = (typeof SOAK_TARGETS)[number];

/** The teams of scripts/soak/soak-policy.yaml; caller k belongs to TEAMS[k % 4] (its email's domain). */
export const TEAMS = ['vision', 'speech', 'nlp', 'recsys'] as const;

/** The simulator's scenario labels the soak uses (simulator/README.md, "Scenario labels"), with their shares. */
export const SCENARIO_MIX = [
  ['succeed', 0.6], ['fail-trials', 0.1], ['fail-capacity', 0.08], ['slow', 0.08], ['stuck-pending', 0.07], ['stuck-running', 0.07],
] as const;
export type Scenario = (typeof SCENARIO_MIX)[number][0];

/**
 * Vertex's durations in seconds instead of minutes, on the simulator's real-time clock (nasmon judges
 * time by the wall clock; see scripts/local/demo-workload.ts): a job lives 10–40 s, a slow one 4×
 * longer, past the soak policy's 45 s run-time limit. Every Vertex call must carry a bearer token.
 * A cancel always ends CANCELLED: a cancel that loses the race ends SUCCEEDED or FAILED straight
 * from CANCELLING, and when CANCELLING falls between two polls nothing in the job tells nasmon it
 * was there (RUNNING → FAILED is a step of its own), so the checker would count a gap not flagged.
 */
export const SOAK_SIMULATOR_CONFIG = {
  pendingSeconds: [2, 6], capacityFailSeconds: [4, 12], trialRequestSeconds: [0.2, 1], trialRunSeconds: [3, 9],
  trainTrialRunSeconds: [5, 10], stoppingSeconds: [0.5, 1.5], cancelSeconds: [1, 3], slowFactor: 4,
  infeasibleProbability: 0.08, cancelRaceProbability: 0, requireAuth: true,
} as const;

/** One job of the plan. */
export interface PlannedJob {
  readonly index: number;
  /** Milliseconds after the workload's start. */
  readonly atMs: number;
  readonly via: 'seed' | 'gate';
  readonly target: SoakTarget;
  readonly scenario: Scenario;
  readonly team: string;
  readonly displayName: string;
  readonly maxTrialCount: number;
  readonly maxParallelTrialCount: number;
  /** Gate jobs: the caller (0-based) who creates it. */
  readonly caller: number;
  /** Gate jobs: the caller cancels it this long after creating it. */
  readonly cancelAfterMs?: number;
  /** Gate jobs: the caller deletes it once it has finished. */
  readonly deleteWhenDone: boolean;
  /** Gate jobs: the caller first tries a create it has no access to (a refused request). */
  readonly forbiddenProbe: boolean;
}

export interface PlanOptions {
  readonly jobs: number;
  readonly targets: number;
  readonly callers: number;
  readonly durationMs: number;
  readonly gateShare: number;
  readonly seed: number;
}

/** Jobs appear over the first 85 % of the run, so most of them play out before it ends. */
export const APPEARANCE_SHARE = 0.85;

/** The whole workload, in order of appearance. */
export function planWorkload(o: PlanOptions): PlannedJob[] {
  const random = seededRandom(o.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const targets = SOAK_TARGETS.slice(0, o.targets);
  const spreadMs = o.durationMs * APPEARANCE_SHARE;
  return Array.from({length: o.jobs}, (_, index): PlannedJob => {
    const via = random() < o.gateShare ? 'gate' : 'seed';
    const caller = between(0, o.callers - 1);
    const team = via === 'gate' ? TEAMS[caller % TEAMS.length]! : pick(TEAMS);
    const scenario = drawScenario(random());
    const parallel = between(2, 3);
    // A slow job needs at least two waves of trials to overrun its limit.
    const maxTrialCount = scenario === 'slow' ? between(2 * parallel, 3 * parallel) : between(2, 6);
    const maxParallelTrialCount = Math.min(parallel, maxTrialCount); // Vertex refuses more parallel trials than trials
    const cancel = via === 'gate' && random() < 0.15;
    return {
      index, atMs: Math.round(((index + random()) / o.jobs) * spreadMs), via, target: pick(targets), scenario, team,
      displayName: `${team}-${via === 'gate' ? 'search' : 'other'}-${index + 1}`, maxTrialCount, maxParallelTrialCount, caller,
      ...(cancel ? {cancelAfterMs: between(2000, 30_000)} : {}),
      deleteWhenDone: via === 'gate' && random() < 0.3,
      forbiddenProbe: via === 'gate' && random() < 0.02,
    };
  });
}

function drawScenario(draw: number): Scenario {
  let sum = 0;
  for (const [scenario, share] of SCENARIO_MIX) {
    sum += share;
    if (draw < sum) return scenario;
  }
  return 'succeed';
}
