// nasJobs.delete: returns a (done) Operation; the job then answers 404. Deleting a job that is not
// terminal is refused with FAILED_PRECONDITION unless the admin config allows it.
import {ok, type ApiHandler} from '../http/api-types.js';
import {failedPrecondition} from '../http/error-details.js';
import {recordDeleteOperation} from '../model/operations.js';
import {isTerminalState} from '../proto/enums.js';
import {findJob, targetOf} from './job-lookup.js';

export const deleteNasJob: ApiHandler = (req, sim) => {
  const job = findJob(sim, req);
  if (!isTerminalState(job.state) && sim.config.deleteNonTerminal === 'reject') {
    throw failedPrecondition(`NasJob ${job.name} is in state ${job.state}; only a job in a terminal state can be deleted. Cancel it first.`);
  }
  const now = sim.clock.now();
  sim.store.remove(job, now);
  return ok(recordDeleteOperation(sim, targetOf(sim, req), now));
};
