// One policy with a rule of every kind, each scoped to a project of its own (nas-dev-<slug>) so a
// request there breaks that rule and no other, in a mode chosen per test; and the cases that break
// them through the gate.
import {parsePolicy, type Policy, type RuleMode} from '../../shared/core/policy/index.js';
import {goodJob, LOCATION, type GateFixture} from './gate-api.support.js';

export const OWNER = 'dave@example.com';
/** Another member of the owner's team (by domain), who did not create the job. */
export const TEAMMATE = 'dan@nlp.example.com';

const scope = (slug: string) => ({appliesTo: {projects: [`nas-dev-${slug}`]}});

/** The policy with every rule and the mutation in `mode`. */
export function policyInMode(mode: RuleMode): Policy {
  const rule = (slug: string, body: Record<string, unknown>) => ({name: `${slug}-rule`, mode, ...scope(slug), ...body});
  const document = {
    version: 1,
    teams: {nlp: {emails: [OWNER], domains: ['nlp.example.com']}},
    access: [{name: 'teams-own-jobs', callers: {teams: ['*']}, actions: ['*'], projects: ['nas-dev-*'], teams: ['$own']}],
    mutations: [rule('mutation', {kind: 'label', key: 'reviewed', value: 'no'})],
    submissionRules: [
      rule('regions', {kind: 'regions', allowed: ['europe-west4']}),
      rule('machines', {kind: 'machine-types', allowed: ['n1-standard-4']}),
      rule('gpus', {kind: 'accelerators', allowed: ['NVIDIA_L4']}),
      rule('trials', {kind: 'trial-counts', search: {maxTrialCount: 50}}),
      rule('labels', {kind: 'labels', required: ['owner']}),
      rule('cmek', {kind: 'cmek', required: true}),
      rule('name', {kind: 'display-name', pattern: 'x-[a-z]+'}),
      rule('timeout', {kind: 'trial-timeout', required: true}),
      rule('concurrency', {kind: 'team-concurrency', maxActiveJobs: 1}),
      rule('hours', {kind: 'accelerator-hours', maxPerJob: 10}),
    ],
    actionRules: [
      rule('ownership', {kind: 'ownership', allow: [{jobs: 'own'}]}),
      rule('protected', {kind: 'protected-label', key: 'protected', value: 'true'}),
      rule('terminal', {kind: 'terminal-only'}),
    ],
  };
  return parsePolicy({text: JSON.stringify(document), format: 'json', file: `rule-modes-${mode}.json`});
}

/** One rule broken through the gate: the call, and what it changes in Vertex when let through. */
export interface RuleCase {
  readonly slug: string;
  readonly action: 'create' | 'cancel' | 'delete';
  /** Runs the call that breaks the rule; returns its answer and a probe of whether it took effect. */
  run(g: GateFixture): Promise<{status: number; body: Record<string, any>; tookEffect: () => Promise<boolean>}>;
}

const parentOf = (slug: string) => `projects/nas-dev-${slug}/locations/${LOCATION}`;
// Vertex names jobs by project number; the gate's paths take the project ID.
const pathOf = (slug: string, name: string) => `/v1/${name.replace(/^projects\/\d+\//, `projects/nas-dev-${slug}/`)}`;

function createCase(slug: string, prime = false): RuleCase {
  return {
    slug, action: 'create',
    async run(g) {
      if (prime) await createJob(g, slug); // the team's one allowed active job
      const before = (await jobsIn(g, slug)).length;
      const {status, body} = await g.call(OWNER, 'POST', `/v1/${parentOf(slug)}/nasJobs`, goodJob());
      return {status, body, tookEffect: async () => (await jobsIn(g, slug)).length > before};
    },
  };
}

function actionCase(slug: string, action: 'cancel' | 'delete', setup: {caller?: string; labels?: Record<string, string>; finish?: boolean; allowRunningDelete?: boolean}): RuleCase {
  return {
    slug, action,
    async run(g) {
      const name = await createJob(g, slug, setup.labels);
      if (setup.finish) await g.sim.force(name, 'JOB_STATE_SUCCEEDED');
      if (setup.allowRunningDelete) await g.admin('POST', 'config', {deleteNonTerminal: 'allow'});
      const path = pathOf(slug, name) + (action === 'cancel' ? ':cancel' : '');
      const {status, body} = await g.call(setup.caller ?? OWNER, action === 'cancel' ? 'POST' : 'DELETE', path);
      return {status, body, tookEffect: async () => {
        const job = (await jobsIn(g, slug)).find(candidate => candidate.name === name);
        return action === 'cancel' ? job?.state === 'JOB_STATE_CANCELLING' : job === undefined;
      }};
    },
  };
}

/** Every rule of {@link policyInMode}, broken once. */
export const RULE_CASES: readonly RuleCase[] = [
  ...['regions', 'machines', 'gpus', 'trials', 'labels', 'cmek', 'name', 'timeout', 'hours'].map(slug => createCase(slug)),
  createCase('concurrency', true),
  actionCase('ownership', 'cancel', {caller: TEAMMATE}),
  actionCase('protected', 'delete', {labels: {protected: 'true'}, finish: true}),
  actionCase('terminal', 'delete', {allowRunningDelete: true}),
];

/** The mutation's case: a create in its project; the probe says whether the label was applied. */
export async function createForMutation(g: GateFixture) {
  const {status, body} = await g.call(OWNER, 'POST', `/v1/${parentOf('mutation')}/nasJobs`, goodJob());
  const [job] = await jobsIn(g, 'mutation');
  return {status, body, labelled: job?.labels?.reviewed === 'no'};
}

async function createJob(g: GateFixture, slug: string, labels: Record<string, string> = {}): Promise<string> {
  const {status, body} = await g.call(OWNER, 'POST', `/v1/${parentOf(slug)}/nasJobs`, goodJob({labels: {team: 'nlp', 'cost-center': 'cc-1234', ...labels}}));
  if (status !== 200) throw new Error(`setting up ${slug}: create answered ${status} ${JSON.stringify(body)}`);
  return body.name as string;
}

async function jobsIn(g: GateFixture, slug: string): Promise<Array<Record<string, any>>> {
  const response = await fetch(`${g.sim.url}/v1/${parentOf(slug)}/nasJobs?pageSize=100`);
  return ((await response.json()) as {nasJobs?: Array<Record<string, any>>}).nasJobs ?? [];
}
