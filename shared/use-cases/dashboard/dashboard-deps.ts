import type {DashboardJob, JobFile, TrialsResult} from '../../core/dashboard/index.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Policy} from '../../core/policy/index.js';

/** The most recent mirrored jobs, newest first, as far as the store could read them. */
export interface RecentJobs {
  readonly jobs: readonly DashboardJob[];
  /** More jobs exist than were read. */
  readonly truncated: boolean;
  /** Documents that could not be read (named in the log), left out of `jobs`. */
  readonly unreadable: number;
}

/** The dashboard's read-only view of Firestore. Every read is bounded. */
export interface DashboardStore {
  /** At most `limit` jobs, by create time, newest first. */
  recentJobs(limit: number): Promise<RecentJobs>;
  /** Everything stored about one job (by document id); undefined when there is no such job. */
  jobFile(id: string): Promise<JobFile | undefined>;
}

/** Where finished trials and their metrics come from (the mirror keeps only counts and the best). */
export interface TrialSource {
  trialsOf(record: JobRecord): Promise<TrialsResult>;
}

/** What the dashboard's use cases need. */
export interface DashboardDeps {
  readonly store: DashboardStore;
  readonly trials: TrialSource;
  /** Access grants decide who sees which job; runtime rules give each job its limit. */
  readonly policy?: Policy;
  /** How many jobs the table reads at most. */
  readonly maxJobs: number;
  /** How often the page refreshes itself. */
  readonly refreshSeconds: number;
  readonly now: () => Date;
}
