// Builders for the dashboard core's tests: mirrored jobs, history entries and trials, around one
// fixed instant. Runtime policies go through the real parser (enforce-kit).
import type {DashboardJob, TrialReading} from '../../../../shared/core/dashboard/index.js';
import type {HistoryEntry} from '../../../../shared/core/poll/apply-observation.js';
import type {JobRecord} from '../../../../shared/core/poll/job-record.js';
import type {NasJob} from '../../../../shared/core/vertex/index.js';
import {aNasJob} from '../../../factories.js';

/** The job of aNasJob() started at 10:05; now is three hours later. */
export const START = Date.parse('2025-07-20T10:05:00Z');
export const NOW = START + 3 * 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Overrides of the NasJob; `undefined` removes a field (e.g. a job that never started). */
export type JobOverrides = {[K in keyof NasJob]?: NasJob[K] | undefined};

/** A mirrored RUNNING job of nas-prod/us-central1 (team vision), with record and job overrides. */
export function aDashboardJob(job: JobOverrides = {}, record: Partial<JobRecord> = {}, fields: Partial<DashboardJob> = {}): DashboardJob {
  const nasJob = Object.fromEntries(Object.entries(aNasJob(job as Partial<NasJob>)).filter(([, value]) => value !== undefined)) as unknown as NasJob;
  return {
    id: nasJob.name.replaceAll('/', '~'),
    record: {name: nasJob.name, job: nasJob, state: String(nasJob.state), sequence: 2, stateSince: nasJob.startTime ?? '', stages: {}, deleted: false, ...record},
    project: 'nas-prod', location: 'us-central1', ...(nasJob.labels.team ? {team: nasJob.labels.team} : {}), ...fields,
  };
}

/** One history entry entered `minutes` after START. */
export function entered(sequence: number, state: string, minutes: number, skipped = false): HistoryEntry {
  const time = iso(START + minutes * 60_000);
  return {sequence, state: `JOB_STATE_${state}`, previousState: null, observedTime: time, enteredTime: time, dwellSeconds: null, skipped, eventId: `job/state/${sequence}`};
}

/** A search trial that ended `minutes` after START with `value` (undefined: no measurement). */
export function trial(id: string, minutes: number, value?: number, state = 'SUCCEEDED', stage: 'search' | 'train' = 'search'): TrialReading {
  return {stage, id, state, endTime: iso(START + minutes * 60_000), metrics: value === undefined ? {} : {top_1_accuracy: value}};
}
