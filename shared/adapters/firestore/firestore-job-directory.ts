import type {Firestore} from '@google-cloud/firestore';
import type {MirroredJob, StageFacts} from '../../core/notify/job-facts.js';
import {objectiveOf} from '../../core/poll/diff-trials.js';
import type {JobRecord} from '../../core/poll/job-record.js';
import type {Logger} from '../../log.js';
import type {JobDirectory} from '../../use-cases/notify/notify-ports.js';
import {COLLECTIONS, docIdOf} from './collections.js';
import {readJobRecord} from './job-doc.js';
import {StoredDataError} from './stored-data.js';

/**
 * Reads the poller's mirror of a job for notify: the configured project, trial progress and best
 * metric, which trial and state events do not carry. One document read per call.
 */
export function createFirestoreJobDirectory({firestore, log}: {firestore: Firestore; log: Logger}): JobDirectory {
  return {
    async describe(jobName) {
      const snapshot = await firestore.collection(COLLECTIONS.jobs).doc(docIdOf(jobName)).get();
      try {
        const record = readJobRecord(snapshot);
        return record && mirroredJob(record, snapshot.get('project'), snapshot.get('location'));
      } catch (error) {
        // A damaged mirror costs the message some facts, not the message itself.
        if (!(error instanceof StoredDataError)) throw error;
        log.warn('the job mirror cannot be read; notifying from the event alone', {job: jobName, error});
        return undefined;
      }
    },
  };
}

function mirroredJob(record: JobRecord, project: unknown, location: unknown): MirroredJob | undefined {
  if (typeof project !== 'string' || typeof location !== 'string') return undefined;
  const {job} = record;
  const stages: Record<string, StageFacts> = {};
  for (const [stage, stored] of Object.entries(record.stages)) {
    if (stored) stages[stage] = {counts: stored.counts, ...(stored.best ? {best: stored.best} : {})};
  }
  const metric = objectiveOf(job);
  return {
    project, location, state: record.state, stages, ...(metric ? {metric} : {}),
    job: {
      labels: job.labels, displayName: job.displayName,
      ...(job.createTime ? {createTime: job.createTime} : {}), ...(job.startTime ? {startTime: job.startTime} : {}),
      ...(job.endTime ? {endTime: job.endTime} : {}), ...(job.error ? {error: {code: job.error.code, message: job.error.message}} : {}),
    },
  };
}
