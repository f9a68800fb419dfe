// POST /simulator/jobs:force {"name","state","errorCode"?,"errorMessage"?}: puts a job into a state
// now (recorded in the history like any other change) and returns the job as nasJobs.get would.
import {notFound} from '../http/error-details.js';
import {projectNumberOf} from '../model/ids.js';
import {forceJobState} from '../model/interventions.js';
import {advanceJob} from '../model/lifecycle.js';
import {renderJob} from '../model/render.js';
import {resolveEnumValue, type JobState} from '../proto/enums.js';
import type {SimState} from '../sim-state.js';
import {BodyReader} from './body-reader.js';

const JOB_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/nasJobs\/([^/]+)$/;

export function forceJob(body: unknown, sim: SimState): unknown {
  const reader = new BodyReader(body, ['name', 'state', 'errorCode', 'errorMessage']);
  const name = reader.string('name', true);
  const parts = name === undefined ? undefined : JOB_NAME.exec(name);
  if (name !== undefined && !parts) reader.fail('name', 'Expected projects/{project}/locations/{location}/nasJobs/{id}.');
  const state = resolveEnumValue('JobState', reader.raw('state')) as JobState | undefined;
  if (!state || state === 'JOB_STATE_UNSPECIFIED') reader.fail('state', '"state" must be a JobState name (or number) other than JOB_STATE_UNSPECIFIED.');
  const code = reader.number('errorCode', {min: 0, max: 16, integer: true});
  const message = reader.string('errorMessage');
  reader.done();
  const [, project = '', location = '', id = ''] = parts ?? [];
  const job = sim.store.findTarget(projectNumberOf(project), location)?.jobs.get(id);
  if (!job) throw notFound('NasJob', name ?? '');
  const now = sim.clock.now();
  advanceJob(job, now);
  forceJobState(job, now, state!, {...(code !== undefined && {code}), ...(message !== undefined && {message})});
  return renderJob(job, true);
}
