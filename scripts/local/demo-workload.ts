// The demo workload of the local stack: a few searches over two projects and two regions, one of
// each kind a user should see: two that succeed with improving trials, one that fails for lack of
// capacity, one that overruns its team's run-time limit (scripts/local/demo-policy.yaml) and gets
// cancelled by enforce, and one stuck in the queue. Created through the simulator's admin seeding.
//
// The simulator's clock keeps real time and its durations are Vertex's divided by 60 instead (a
// trial takes seconds, not minutes): enforce, the dashboard and the pollers judge every timestamp
// by the wall clock, so an accelerated simulator clock would put every job's start in the future.

/** The (project, location) pairs the pollers watch. */
export const DEMO_TARGETS = [
  {project: 'demo-vision', location: 'us-central1'},
  {project: 'demo-vision', location: 'europe-west4'},
  {project: 'demo-speech', location: 'us-central1'},
  {project: 'demo-speech', location: 'europe-west4'},
] as const;

/** The simulator's scenarios the demo uses (simulator/README.md, "Scenario labels"). */
export type DemoScenario = 'succeed' | 'fail-capacity' | 'slow' | 'stuck-pending';

interface DemoJobSpec {
  readonly target: (typeof DEMO_TARGETS)[number];
  readonly scenario: DemoScenario;
  readonly team: 'vision' | 'speech';
  readonly prefix: string;
}

const [VISION_US, VISION_EU, SPEECH_US, SPEECH_EU] = DEMO_TARGETS;
const JOBS: readonly DemoJobSpec[] = [
  {target: VISION_US, scenario: 'succeed', team: 'vision', prefix: 'mnasnet-search'},
  {target: VISION_US, scenario: 'fail-capacity', team: 'vision', prefix: 'a100-capacity-probe'},
  {target: VISION_EU, scenario: 'succeed', team: 'vision', prefix: 'efficientnet-search'},
  {target: SPEECH_US, scenario: 'slow', team: 'speech', prefix: 'conformer-long-search'},
  {target: SPEECH_EU, scenario: 'stuck-pending', team: 'speech', prefix: 'queued-search'},
];

/**
 * About Vertex's durations ÷ 60 (simulator/README.md, "Config knobs"), except: jobs wait a few
 * seconds in PENDING, so the first poll sees them there; a slow job is 2× slower rather than 10×
 * (it starts within 16 s, then needs over a minute, twice its limit); a cancel always ends CANCELLED.
 */
export const DEMO_SIMULATOR_CONFIG = {
  queuedSeconds: [1, 2], pendingSeconds: [3, 8], capacityFailSeconds: [6, 12],
  trialRequestSeconds: [0.2, 1], trialRunSeconds: [5, 15], trainTrialRunSeconds: [15, 40],
  stoppingSeconds: [0.5, 1.5], cancelSeconds: [2, 4], slowFactor: 2, cancelRaceProbability: 0,
} as const;

/** A job the demo created. */
export interface DemoJob {
  readonly name: string;
  readonly displayName: string;
  readonly project: string;
  readonly location: string;
  readonly scenario: DemoScenario;
  readonly team: string;
}

/** Sets the simulator's durations for the demo; jobs created afterwards follow them. */
export async function configureDemoSimulator(simulatorUrl: string): Promise<void> {
  await admin(simulatorUrl, 'config', DEMO_SIMULATOR_CONFIG);
}

/** Seeds the demo's jobs, in the order of {@link JOBS}. */
export async function seedDemoWorkload(simulatorUrl: string): Promise<DemoJob[]> {
  const jobs: DemoJob[] = [];
  for (const {target, scenario, team, prefix} of JOBS) {
    const body = {
      ...target, count: 1, displayNamePrefix: prefix, maxTrialCount: 12, maxParallelTrialCount: 3,
      labels: {team, 'sim-scenario': scenario, 'sim-cancel': 'cancelled'},
    };
    const {names} = (await admin(simulatorUrl, 'jobs:seed', body)) as {names: string[]};
    for (const name of names) jobs.push({name, displayName: `${prefix}-1`, ...target, scenario, team});
  }
  return jobs;
}

async function admin(simulatorUrl: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${simulatorUrl}/simulator/${path}`, {
    method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${path} failed: ${response.status} ${await response.text()}`);
  return response.json();
}
