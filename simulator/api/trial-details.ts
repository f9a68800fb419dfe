// nasJobs.nasTrialDetails.list/get: one detail per search trial, best final metric first (goal-aware),
// then trials without a measurement by id; each carries its train trial once one exists.
import {ok, type ApiHandler} from '../http/api-types.js';
import {notFound} from '../http/error-details.js';
import {renderTrialDetail} from '../model/render.js';
import {rankSearchTrials} from '../model/trials.js';
import {pageByOffset} from '../paging/offset-page.js';
import type {JsonObject} from '../proto/normalize-input.js';
import {findJob} from './job-lookup.js';

export const listTrialDetails: ApiHandler = (req, sim) => {
  const job = findJob(sim, req);
  const binding = `nasTrialDetails.list|${job.name}`;
  const page = pageByOffset(rankSearchTrials(job), req.query, sim.tokenKey, binding, {fallback: 100, max: 1000});
  const body: JsonObject = {};
  if (page.items.length > 0) body.nasTrialDetails = page.items.map(trial => renderTrialDetail(job, trial));
  if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
  return ok(body, 'ListNasTrialDetailsResponse');
};

export const getTrialDetail: ApiHandler = (req, sim) => {
  const job = findJob(sim, req);
  const trial = job.search.find(t => t.id === req.params.trial);
  if (!trial) throw notFound('NasTrialDetail', `${job.name}/nasTrialDetails/${req.params.trial ?? ''}`);
  return ok(renderTrialDetail(job, trial), 'NasTrialDetail');
};
