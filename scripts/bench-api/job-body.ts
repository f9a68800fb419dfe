// The NAS job the benchmark submits, and who submits it: one the example policy allows (in a
// nas-dev-* project, team and cost-center labels), so every create goes the whole way to the simulator.

/** The example policy's member of team nlp: the caller of the policy-only figures. */
export const BENCH_CALLER = 'dave@example.com';
/** How many teams the calls under load go round, as a fleet's would; one caller each. */
export const BENCH_TEAMS = 64;
/** The example policy's team-concurrency limit, which the benchmark's policy keeps. */
export const EXAMPLE_TEAM_LIMIT = 5;
/** The team of call `n` under load. */
export function loadTeam(n: number): string {
  return `bench-${n % BENCH_TEAMS}`;
}
/** The team of the `i`th create timed on its own: each team creates once, so no instance knows it yet. */
export function loneTeam(i: number): string {
  return `lone-${i}`;
}
/** The team whose creates are timed back to back; the benchmark's policy lifts its limit. */
export const BURST_TEAM = 'burst';
/** The one caller of a bench team. */
export function callerOf(team: string): string {
  return `caller-${team}@bench.example`;
}
export const BENCH_PROJECT = 'nas-dev-bench';
export const BENCH_LOCATION = 'us-central1';
export const BENCH_PARENT = `projects/${BENCH_PROJECT}/locations/${BENCH_LOCATION}`;

/** A create body the example policy allows; `n` makes each display name distinct. */
export function benchJob(n: number) {
  return {
    displayName: `bench-search-${n}`,
    labels: {team: 'nlp', 'cost-center': 'cc-1234'},
    nasJobSpec: {multiTrialAlgorithmSpec: {
      metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
      searchTrialSpec: {maxTrialCount: 100, maxParallelTrialCount: 4, maxFailedTrialCount: 10,
        searchTrialJobSpec: {workerPoolSpecs: [{
          machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 2},
          replicaCount: '1', containerSpec: {imageUri: 'us-docker.pkg.dev/nas-dev-bench/nas/trainer:1'}}]}},
    }},
  };
}

/** The same job as the gate sends it on to Vertex for callerOf(team): the example policy's mutations applied. */
export function benchJobAsMutated(n: number, team: string) {
  const job = benchJob(n);
  const [pool] = job.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs;
  return {
    ...job,
    labels: {...job.labels, 'managed-by': 'nasmon', team},
    nasJobSpec: {multiTrialAlgorithmSpec: {...job.nasJobSpec.multiTrialAlgorithmSpec, searchTrialSpec: {
      ...job.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec,
      searchTrialJobSpec: {workerPoolSpecs: [pool], scheduling: {timeout: '86400s'}},
    }}},
  };
}
