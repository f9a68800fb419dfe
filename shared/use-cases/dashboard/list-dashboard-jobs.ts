import {canView, facetsOf, filterRows, toJobRow, type Facets, type JobRow, type RowFilter} from '../../core/dashboard/index.js';
import type {Caller} from '../../core/policy/index.js';
import type {DashboardDeps} from './dashboard-deps.js';

/** The answer of `GET /api/jobs`. */
export interface JobListView {
  readonly generatedAt: string;
  readonly refreshSeconds: number;
  /** The most jobs the dashboard reads; `truncated` says whether older ones were left out. */
  readonly limit: number;
  readonly truncated: boolean;
  readonly unreadable: number;
  readonly viewer: string | null;
  /** Jobs the viewer may see, before the filter. */
  readonly total: number;
  readonly facets: Facets;
  readonly filter: RowFilter;
  readonly jobs: readonly JobRow[];
}

/** The job table for `viewer` (undefined: the dashboard runs open), narrowed by `filter`. */
export async function listDashboardJobs(deps: DashboardDeps, viewer: Caller | undefined, filter: RowFilter): Promise<JobListView> {
  const recent = await deps.store.recentJobs(deps.maxJobs);
  const now = deps.now();
  const rows = recent.jobs.filter(job => canView(deps.policy, viewer, job)).map(job => toJobRow(job, deps.policy?.runtime, now.getTime()));
  return {
    generatedAt: now.toISOString(), refreshSeconds: deps.refreshSeconds, limit: deps.maxJobs, truncated: recent.truncated,
    unreadable: recent.unreadable, viewer: viewer?.email ?? null, total: rows.length, facets: facetsOf(rows), filter,
    jobs: filterRows(rows, filter),
  };
}
