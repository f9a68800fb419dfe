import {buildJobDetail, canView, type JobDetailView, type TrialsResult} from '../../core/dashboard/index.js';
import type {Caller} from '../../core/policy/index.js';
import type {Logger} from '../../log.js';
import type {DashboardDeps} from './dashboard-deps.js';

/** The detail of one job, or why there is none. */
export type JobDetailAnswer =
  | {readonly kind: 'found'; readonly view: JobDetailView}
  | {readonly kind: 'not-found'}
  | {readonly kind: 'forbidden'};

/**
 * The detail view of job `id` (its document id) for `viewer`. A failure to read trials only costs the
 * trial curve: the rest of what is stored about the job is still shown.
 */
export async function showDashboardJob(deps: DashboardDeps & {readonly log: Logger}, viewer: Caller | undefined, id: string): Promise<JobDetailAnswer> {
  const file = await deps.store.jobFile(id);
  if (!file) return {kind: 'not-found'};
  if (!canView(deps.policy, viewer, file.job)) return {kind: 'forbidden'};
  let trials: TrialsResult;
  try {
    trials = await deps.trials.trialsOf(file.job.record);
  } catch (error) {
    deps.log.warn('could not read the trials of a job', {job: file.job.record.name, error: error as Error});
    trials = {kind: 'unavailable', reason: 'the trials could not be read from Vertex just now'};
  }
  return {kind: 'found', view: buildJobDetail(file, trials, deps.policy?.runtime, deps.now().getTime())};
}
