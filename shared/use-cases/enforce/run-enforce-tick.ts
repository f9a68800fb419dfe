import {policyVersionOf} from '../../core/enforce/index.js';
import type {EnforceDeps} from './enforce-deps.js';
import {evaluateJob} from './evaluate-job.js';

/** Figures of one tick, logged and returned for tests. */
export interface TickReport {
  readonly due: number;
  readonly evaluated: number;
  readonly actions: number;
  readonly failed: number;
  /** Active jobs the sweep found untracked or judged by older rules, now due. */
  readonly marked: number;
}

/**
 * One scheduler tick: evaluates the jobs whose due time has come (a query on one indexed field, so
 * a tick reads what is due, not every active job), then, at most once per sweep period, marks due
 * the active jobs enforce has no state for or judged under other rules (a new deployment, a changed
 * policy, events it missed). One job's failure is logged and leaves it due for the next tick.
 */
export async function runEnforceTick(deps: EnforceDeps): Promise<TickReport> {
  const now = deps.now();
  const due = await deps.store.dueJobs(now, deps.settings.maxDuePerTick);
  let actions = 0;
  let failed = 0;
  await forEachLimited(due, deps.settings.concurrency, async job => {
    try {
      actions += (await evaluateJob(deps, job)).actions.length;
    } catch (error) {
      failed += 1;
      deps.log.error('could not evaluate a job; it stays due', {job, error: error as Error});
    }
  });
  const marked = await sweep(deps, now, new Set(due));
  const report: TickReport = {due: due.length, evaluated: due.length - failed, actions, failed, marked};
  deps.log.info('enforce tick', {...report});
  return report;
}

async function sweep(deps: EnforceDeps, now: Date, justEvaluated: ReadonlySet<string>): Promise<number> {
  if (!(await deps.store.claimSweep(now, deps.settings.sweepEveryMs))) return 0;
  const current = policyVersionOf(deps.policy, deps.settings.forceDryRun);
  const stale = [...(await deps.store.activeJobVersions())]
    .filter(([name, version]) => version !== current && !justEvaluated.has(name))
    .map(([name]) => name);
  await deps.store.markDue(stale, now);
  return stale.length;
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({length: Math.max(1, Math.min(limit, items.length))}, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
