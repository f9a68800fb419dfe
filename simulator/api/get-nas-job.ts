import {ok, type ApiHandler} from '../http/api-types.js';
import {renderJob} from '../model/render.js';
import {findJob} from './job-lookup.js';

/** nasJobs.get: the full job, nasJobOutput (the trials) included. */
export const getNasJob: ApiHandler = (req, sim) => ok(renderJob(findJob(sim, req), true), 'NasJob');
