// Fills the mirror as a deployment's looks: jobs of other teams, most of them finished. The gate's
// count of a team's active jobs is a query on the mirror, and the Firestore emulator's cost for it
// grows with the collection, so an empty mirror would flatter the first create of a team.
import type {Firestore} from '@google-cloud/firestore';
import {COLLECTIONS, docIdOf} from '../../shared/adapters/firestore/collections.js';
import {toJobDoc} from '../../shared/adapters/firestore/job-doc.js';
import {parseNasJob} from '../../shared/core/vertex/index.js';
import {BENCH_LOCATION, BENCH_PROJECT, benchJobAsMutated} from './job-body.js';

/** Teams the seeded jobs belong to: none of the bench's callers is in one. */
const HISTORY_TEAMS = 50;

/** Writes `count` mirror documents (one in five RUNNING, the rest SUCCEEDED), as the poller would. */
export async function seedMirror(firestore: Firestore, count: number): Promise<void> {
  const writer = firestore.bulkWriter();
  const time = new Date(Date.now() - 86_400_000).toISOString();
  for (let i = 0; i < count; i++) {
    const name = `projects/123456/locations/${BENCH_LOCATION}/nasJobs/${9_000_000 + i}`;
    const state = i % 5 === 0 ? 'JOB_STATE_RUNNING' : 'JOB_STATE_SUCCEEDED';
    const job = parseNasJob({...benchJobAsMutated(i, `history-${i % HISTORY_TEAMS}`), name, state, createTime: time, updateTime: time});
    const record = {name, job, state, sequence: 1, stateSince: time, updateTime: time, stages: {}, deleted: false};
    void writer.set(firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name)), toJobDoc(record, {project: BENCH_PROJECT, location: BENCH_LOCATION}));
  }
  await writer.close();
}
