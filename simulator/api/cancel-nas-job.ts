// nasJobs.cancel: best effort and asynchronous. The job moves to CANCELLING now and, after a short
// simulated delay, usually to CANCELLED (sometimes, by design, to SUCCEEDED or FAILED instead).
import {ok, type ApiHandler} from '../http/api-types.js';
import {failedPrecondition, invalidPayload} from '../http/error-details.js';
import {requestCancel} from '../model/interventions.js';
import {isPlainObject} from '../proto/normalize-input.js';
import {findJob} from './job-lookup.js';

export const cancelNasJob: ApiHandler = (req, sim) => {
  rejectUnknownBodyMembers(req.body);
  const job = findJob(sim, req);
  if (!requestCancel(job, sim.clock.now())) {
    throw failedPrecondition(`NasJob ${job.name} is already in terminal state ${job.state} and cannot be cancelled.`);
  }
  return ok({});
};

/** The body is a CancelNasJobRequest whose only member, `name`, comes from the path. */
function rejectUnknownBodyMembers(body: unknown): void {
  if (body === undefined) return;
  const unknown = isPlainObject(body) ? Object.keys(body).filter(key => key !== 'name') : ['(body)'];
  if (unknown.length === 0) return;
  throw invalidPayload(unknown.map(key => ({
    field: key,
    description: `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`,
  })));
}
