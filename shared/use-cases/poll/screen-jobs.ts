import {enumName, isUnknownEnum, type NasJob} from '../../core/vertex/index.js';

/** A job the client could parse but the poller must not record: its state says nothing usable. */
export interface ScreenedOut {
  readonly name: string;
  readonly field: string;
  readonly reason: string;
}

/**
 * Splits parsed jobs into those worth recording and those whose state is missing or unknown to this
 * version. Recording an unknown state would overwrite a good mirror with a value no consumer
 * understands; the job is skipped until Vertex reports something known (or nasmon learns the value).
 */
export function screenJobs<T extends Pick<NasJob, 'name' | 'state'>>(jobs: readonly T[]): {usable: T[]; rejected: ScreenedOut[]} {
  const usable: T[] = [];
  const rejected: ScreenedOut[] = [];
  for (const job of jobs) {
    if (isUnknownEnum(job.state)) {
      rejected.push({name: job.name, field: 'state', reason: `unknown JobState ${enumName(job.state)}`});
    } else if (job.state === 'JOB_STATE_UNSPECIFIED') {
      rejected.push({name: job.name, field: 'state', reason: 'missing or JOB_STATE_UNSPECIFIED'});
    } else {
      usable.push(job);
    }
  }
  return {usable, rejected};
}
