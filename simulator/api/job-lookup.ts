// Resolving path parameters to records. A project may be named by id or by number; both reach the
// same jobs, whose names always carry the number.
import type {ApiRequest} from '../http/api-types.js';
import {invalidArgument, notFound} from '../http/error-details.js';
import type {JobRecord} from '../model/job-record.js';
import type {Target} from '../model/job-store.js';
import {advanceJob} from '../model/lifecycle.js';
import type {SimState} from '../sim-state.js';

export function targetOf(sim: SimState, req: ApiRequest): Target {
  return sim.store.target(sim.projectNumber(req.params.project ?? ''), req.params.location ?? '');
}

/** Brings every live job of a target up to the simulated now (a no-op for jobs with nothing due). */
export function advanceTarget(sim: SimState, target: Target): void {
  const now = sim.clock.now();
  for (const job of target.jobs.values()) advanceJob(job, now);
}

/** The addressed job, brought up to now, or 404. Ids are int64 decimals; anything else is a 400. */
export function findJob(sim: SimState, req: ApiRequest): JobRecord {
  const id = req.params.job ?? '';
  const target = targetOf(sim, req);
  const name = `projects/${target.projectNumber}/locations/${target.location}/nasJobs/${id}`;
  if (!/^\d{1,19}$/.test(id)) {
    throw invalidArgument([{field: 'name', description: `Invalid NasJob resource name "${name}": the job id must be numeric.`}]);
  }
  const job = target.jobs.get(id);
  if (!job) throw notFound('NasJob', name);
  advanceJob(job, sim.clock.now());
  return job;
}
