// Plays the plan out on the wall clock: every job at its moment, seeded straight into the simulator
// (other users of Vertex; admin calls are not counted as Vertex calls) or handed to its caller for
// the gate. Late jobs are not skipped: a busy machine delays them, the plan's order is kept.
import type {startCallers} from './callers.js';
import type {PlannedJob} from './plan.js';

/** Starts the workload now; `done` resolves once every job has appeared (or `stop` was called). */
export function runWorkload(plan: readonly PlannedJob[], simulatorUrl: string, callers: ReturnType<typeof startCallers>, say: (line: string) => void) {
  const startMs = Date.now();
  const seeded: Array<{plan: PlannedJob; name: string}> = [];
  let next = 0;
  let stopped = false;
  let seedFailures = 0;
  const seed = async (job: PlannedJob) => {
    const response = await fetch(`${simulatorUrl}/simulator/jobs:seed`, {
      method: 'POST', headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        ...job.target, count: 1, displayNamePrefix: job.displayName,
        maxTrialCount: job.maxTrialCount, maxParallelTrialCount: job.maxParallelTrialCount,
        labels: {team: job.team, 'sim-scenario': job.scenario, owner: 'other-users'},
      }),
    });
    if (!response.ok) throw new Error(`jobs:seed answered ${response.status}: ${await response.text()}`);
    const {names} = (await response.json()) as {names: string[]};
    for (const name of names) seeded.push({plan: job, name});
  };
  const done = new Promise<void>(resolve => {
    const step = () => {
      const elapsed = Date.now() - startMs;
      while (!stopped && next < plan.length && plan[next]!.atMs <= elapsed) {
        const job = plan[next++]!;
        if (job.via === 'gate') callers.create(job);
        else void seed(job).catch(error => void (seedFailures++ < 3 && say(`!!! seeding ${job.displayName} failed: ${String(error)}`)));
      }
      if (stopped || next >= plan.length) return resolve();
      setTimeout(step, Math.min(250, Math.max(10, plan[next]!.atMs - elapsed)));
    };
    step();
  });
  return {
    startMs,
    done,
    appeared: () => next,
    seeded: (): ReadonlyArray<{plan: PlannedJob; name: string}> => seeded,
    stop(): void {
      stopped = true;
    },
  };
}
