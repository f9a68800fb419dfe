// nasJobs.create: synchronous (not an LRO), server-assigned numeric id, state QUEUED or PENDING.
import {ok, type ApiHandler} from '../http/api-types.js';
import {invalidArgument, invalidPayload} from '../http/error-details.js';
import {acceleratorDemand, createJob, readTrialBudget} from '../model/create-job.js';
import {renderJob} from '../model/render.js';
import {getString} from '../proto/json-path.js';
import {normalizeMessage} from '../proto/normalize-input.js';
import {advanceTarget, targetOf} from './job-lookup.js';
import {validateNasJob} from './validate-nas-job.js';

export const createNasJob: ApiHandler = (req, sim) => {
  const target = targetOf(sim, req);
  const {value, present, violations} = normalizeMessage(req.body ?? {}, 'NasJob', 'nas_job');
  if (violations.length > 0) throw invalidPayload(violations);
  advanceTarget(sim, target); // accelerator use and resumable jobs depend on current states
  const problems = validateNasJob(value, {present, resumableJobExists: id => target.jobs.has(id)});
  if (problems.length > 0) throw invalidArgument(problems);
  const resumed = target.jobs.get(getString(value, 'nasJobSpec', 'resumeNasJobId'));
  const budget = readTrialBudget(value, resumed);
  sim.acceleratorQuota.check(target, acceleratorDemand(value, budget));
  const job = createJob(sim, {target, input: value, budget, createTime: sim.clock.now()});
  return ok(renderJob(job, true), 'NasJob');
};
