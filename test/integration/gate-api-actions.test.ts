import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {isMap, parseDocument, type YAMLSeq} from 'yaml';
import {parsePolicy} from '../../shared/core/policy/index.js';
import {describeWithEmulators, resetFirestore, testProjectId} from '../harness/emulators.js';
import {goodJob, PARENT, startGateFixture, type GateFixture} from './gate-api.support.js';

const projectId = testProjectId(import.meta.url);
const path = (name: string) => `/v1/${name.replace(/^projects\/\d+\//, 'projects/nas-dev-a/')}`;

describeWithEmulators('nasJobsApi cancel, delete, get and list', () => {
  let g: GateFixture;
  beforeAll(async () => {
    g = await startGateFixture(projectId, 'nasJobsApiActions');
  });
  afterAll(async () => g?.closeGate());
  beforeEach(async () => {
    await g.sim.reset();
    await resetFirestore(projectId);
  });

  // The example policy with one change: a caller may cancel or delete only the jobs they created.
  function ownJobsOnly() {
    const policy = parseDocument(readFileSync('test/fixtures/policy/example.yaml', 'utf8'));
    const rules = policy.get('actionRules') as YAMLSeq;
    const ownership = rules.items.findIndex(rule => isMap(rule) && rule.get('kind') === 'ownership');
    policy.setIn(['actionRules', ownership, 'allow'], [{jobs: 'own'}]);
    return parsePolicy({text: policy.toString(), format: 'yaml', file: 'own-jobs-only.yaml'});
  }

  async function createAs(email: string, labels: Record<string, string>) {
    const {status, body} = await g.call(email, 'POST', `/v1/${PARENT}/nasJobs`, goodJob({labels}));
    expect(status).toBe(200);
    return body.name as string;
  }

  it('lets the creator cancel, and refuses another team with the rule that denied', async () => {
    const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
    const other = await g.call('bob@example.com', 'POST', `${path(name)}:cancel`);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body.error.details)).toMatch(/access|whose-jobs/);
    const own = await g.call('dave@example.com', 'POST', `${path(name)}:cancel`);
    expect(own).toEqual({status: 200, body: {}});
    const [job] = await g.simJobs();
    expect(job!.state).toBe('JOB_STATE_CANCELLING');
    const audit = await g.auditEntries();
    expect(audit.filter(entry => entry.action === 'cancel').map(entry => entry.verdict).sort()).toEqual(['allowed', 'denied']);
  });

  it('records the creator of a job created without a requestId, so a rule allowing only their own jobs lets them cancel it', async () => {
    g.usePolicy(ownJobsOnly());
    try {
      const mirrored = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
      await g.mirror();
      const fresh = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
      // The gate's facts come from the mirror for one job, and from Vertex for the one it lacks.
      for (const name of [fresh, mirrored]) {
        expect(await g.call('bob@example.com', 'POST', `${path(name)}:cancel`)).toMatchObject({status: 403});
        expect(await g.call('dave@example.com', 'POST', `${path(name)}:cancel`)).toEqual({status: 200, body: {}});
      }
    } finally {
      g.usePolicy(g.deps.policy);
    }
  });

  it('knows the creator of a job whose create is not audited yet: the answer does not wait for that write, the intent names the caller', async () => {
    g.usePolicy(ownJobsOnly());
    // The create's audit write (with the creator record) waits until the test lets it go.
    let release = () => {};
    const held = new Promise<void>(resolve => (release = resolve));
    g.useStore({...g.deps.store, recordAudit: async (...args) => (await held, g.deps.store.recordAudit(...args))});
    try {
      const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
      g.useStore();
      expect(await g.firestore.collection('nasmonJobOwners').get()).toHaveProperty('size', 0);
      expect(await g.call('bob@example.com', 'POST', `${path(name)}:cancel`)).toMatchObject({status: 403});
      expect(await g.call('dave@example.com', 'POST', `${path(name)}:cancel`)).toEqual({status: 200, body: {}});
    } finally {
      release();
      g.useStore();
      g.usePolicy(g.deps.policy);
    }
    const audit = await g.auditEntries();
    expect(audit.map(entry => `${entry.action} ${entry.verdict}`).sort()).toEqual(['cancel allowed', 'cancel denied', 'create allowed']);
    expect((await g.firestore.collection('nasmonGateIntents').get()).size).toBe(0);
  });

  it('refuses to delete a running job, deletes a finished one, and blocks protected jobs', async () => {
    const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
    const running = await g.call('dave@example.com', 'DELETE', path(name));
    expect(running.status).toBe(403);
    expect(JSON.stringify(running.body.error.details)).toContain('delete-finished-only');
    await g.sim.force(name, 'JOB_STATE_FAILED');
    const done = await g.call('dave@example.com', 'DELETE', path(name));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({done: true});
    expect(await g.simJobs()).toEqual([]);

    const kept = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234', protected: 'true'});
    await g.sim.force(kept, 'JOB_STATE_SUCCEEDED');
    const blocked = await g.call('dave@example.com', 'DELETE', path(kept));
    expect(blocked.status).toBe(403);
    expect(JSON.stringify(blocked.body.error.details)).toContain('protected-jobs');
  });

  it('answers 404 for a job neither the mirror nor Vertex knows', async () => {
    const {status, body} = await g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs/1234567890123456789:cancel`);
    expect(status).toBe(404);
    expect(body.error.status).toBe('NOT_FOUND');
  });

  it('passes a Vertex refusal through faithfully (cancel of a finished job)', async () => {
    const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
    await g.sim.force(name, 'JOB_STATE_SUCCEEDED');
    const {status, body} = await g.call('dave@example.com', 'POST', `${path(name)}:cancel`);
    expect(status).toBe(400);
    expect(body.error.status).toBe('FAILED_PRECONDITION');
  });

  it('serves get and list from the mirror, with the transition history', async () => {
    const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
    await g.mirror();
    await g.sim.force(name, 'JOB_STATE_RUNNING');
    await g.mirror();
    const got = await g.call('dave@example.com', 'GET', path(name));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({name, state: 'JOB_STATE_RUNNING', labels: {team: 'nlp'}});
    expect(got.body.nasmonHistory.map((entry: {state: string}) => entry.state)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING']);
    expect(got.body.nasmonHistory[0]).not.toHaveProperty('expireAt'); // stored for the TTL policy, not for callers
    const listed = await g.call('dave@example.com', 'GET', `/v1/${PARENT}/nasJobs?filter=${encodeURIComponent('state="JOB_STATE_RUNNING"')}`);
    expect(listed.status).toBe(200);
    expect(listed.body.nasJobs.map((job: {name: string}) => job.name)).toEqual([name]);
    const stranger = await g.call('stranger@elsewhere.org', 'GET', path(name));
    expect(stranger.status).toBe(403);
  });

  it('answers get for a job the poller has not mirrored yet from Vertex, with the same access rules', async () => {
    const name = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'}); // no poll cycle since
    const got = await g.call('dave@example.com', 'GET', path(name));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({name, state: 'JOB_STATE_PENDING', labels: {team: 'nlp'}, nasmonHistory: []});
    expect((await g.call('bob@example.com', 'GET', path(name))).status).toBe(403); // vision reads here, not nlp's jobs
    expect((await g.call('stranger@elsewhere.org', 'GET', path(name))).status).toBe(403);
    expect((await g.call('dave@example.com', 'GET', `/v1/${PARENT}/nasJobs/123456789`)).status).toBe(404);
  });

  it('lists only the jobs of teams the caller may see, as get would answer for each', async () => {
    const nlp = await createAs('dave@example.com', {team: 'nlp', 'cost-center': 'cc-1234'});
    await g.mirror();
    const listedBy = async (caller: string) => {
      const listed = await g.call(caller, 'GET', `/v1/${PARENT}/nasJobs?pageSize=100`);
      expect(listed.status).toBe(200);
      return listed.body.nasJobs.map((job: {name: string}) => job.name) as string[];
    };
    expect(await listedBy('dave@example.com')).toContain(nlp);
    expect(await listedBy('alice@example.com')).toContain(nlp); // an admin sees every team's jobs
    expect(await listedBy('bob@example.com')).not.toContain(nlp); // vision may list here, but not nlp's jobs
    expect((await g.call('bob@example.com', 'GET', path(nlp))).status).toBe(403);
  });

  it('refuses an unauthenticated call before doing anything', async () => {
    const {status, body} = await g.call(undefined, 'GET', `/v1/${PARENT}/nasJobs`);
    expect(status).toBe(401);
    expect(body.error.status).toBe('UNAUTHENTICATED');
  });
});
