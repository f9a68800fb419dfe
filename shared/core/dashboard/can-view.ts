import {authorize} from '../policy/authorize.js';
import type {Policy} from '../policy/policy.js';
import type {Caller} from '../policy/verdict.js';
import type {DashboardJob} from './dashboard-inputs.js';

/**
 * Whether `viewer` may see `job`: exactly when the policy's access grants would let them `get` it
 * through the gate (its project, location and team), so the dashboard never shows more than the
 * gate would. No viewer means the dashboard runs open (NASMON_DASHBOARD_AUTH=none, local runs only).
 */
export function canView(policy: Policy | undefined, viewer: Caller | undefined, job: DashboardJob): boolean {
  if (viewer === undefined) return true;
  if (policy === undefined) return false;
  const target = {project: job.project, location: job.location, ...(job.team === undefined ? {} : {team: job.team})};
  return authorize(policy, viewer, 'get', target).allowed;
}
