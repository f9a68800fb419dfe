import {describe, expect, it} from 'vitest';
import {canView} from '../../../../shared/core/dashboard/index.js';
import {examplePolicy} from '../policy/support.js';
import {aDashboardJob} from './dashboard-kit.js';

// The example policy: admins see everything; team members see their own team's jobs in nas-prod and
// nas-dev-* (us-central1, europe-west4); pipelines see vision and nlp jobs in nas-prod.
const policy = examplePolicy();
const vision = aDashboardJob();
const nlpDev = aDashboardJob({labels: {team: 'nlp'}}, {}, {project: 'nas-dev-a'});
const elsewhere = aDashboardJob({}, {}, {project: 'other-project'});

describe('canView', () => {
  it.each<[string, string | undefined, typeof vision, boolean]>([
    ['anyone, when the dashboard runs open', undefined, elsewhere, true],
    ['an admin, any job', 'alice@example.com', elsewhere, true],
    ['a team member, their team\'s job', 'bob@example.com', vision, true],
    ['a team member, another team\'s job', 'bob@example.com', nlpDev, false],
    ['a team member, in a project no grant covers', 'bob@example.com', elsewhere, false],
    ['a stranger', 'mallory@evil.example', vision, false],
  ])('lets %s', (_, email, job, allowed) => {
    expect(canView(policy, email === undefined ? undefined : {email}, job)).toBe(allowed);
  });

  it('shows nothing to a signed-in viewer when there is no policy to grant access', () => {
    expect(canView(undefined, {email: 'alice@example.com'}, vision)).toBe(false);
  });
});
