// The demo workload of the local stack: a few searches over two projects and two regions, one of
// each kind a user should see (a success with improving trials, a capacity failure, a long runner,
// one stuck in the queue), created through the simulator's admin seeding.
export const DEMO_TARGETS = [
  {project: 'demo-vision', location: 'us-central1'},
  {project: 'demo-vision', location: 'europe-west4'},
  {project: 'demo-speech', location: 'us-central1'},
  {project: 'demo-speech', location: 'europe-west4'},
] as const;

const SCENARIOS = [
  {scenario: 'succeed', team: 'vision', prefix: 'mnasnet-search'},
  {scenario: 'fail-capacity', team: 'vision', prefix: 'a100-capacity-probe'},
  {scenario: 'slow', team: 'speech', prefix: 'conformer-long-search'},
  {scenario: 'stuck-pending', team: 'speech', prefix: 'queued-search'},
] as const;

/** Seeds one job of each scenario on each target. */
export async function seedDemoWorkload(simulatorUrl: string): Promise<number> {
  let created = 0;
  for (const target of DEMO_TARGETS) {
    for (const {scenario, team, prefix} of SCENARIOS) {
      const response = await fetch(`${simulatorUrl}/simulator/jobs:seed`, {
        method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify({...target, count: 1, displayNamePrefix: prefix, labels: {team, 'sim-scenario': scenario},
          maxTrialCount: 24, maxParallelTrialCount: 4}),
      });
      if (!response.ok) throw new Error(`seeding the demo workload failed: ${response.status} ${await response.text()}`);
      created += 1;
    }
  }
  return created;
}
