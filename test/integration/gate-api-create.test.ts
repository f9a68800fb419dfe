import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {parsePolicy} from '../../shared/core/policy/index.js';
import {describeWithEmulators, resetFirestore, testProjectId} from '../harness/emulators.js';
import {examplePolicyWithoutTeamLimit, goodJob, LOCATION, PARENT, PROJECT, startGateFixture, type GateFixture} from './gate-api.support.js';

const projectId = testProjectId(import.meta.url);

describeWithEmulators('nasJobsApi create', () => {
  let g: GateFixture;
  beforeAll(async () => {
    g = await startGateFixture(projectId, 'nasJobsApiCreate');
  });
  afterAll(async () => g?.closeGate());
  beforeEach(async () => {
    await g.sim.reset();
    await resetFirestore(projectId);
  });

  it('answers validateOnly with the full verdict and creates nothing', async () => {
    const {status, body} = await g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs?validateOnly=true`, goodJob({displayName: 'Not A Valid Name'}));
    expect(status).toBe(200);
    expect(body.allowed).toBe(true);
    expect(body.warnings.join(' ')).toMatch(/display-name/);
    expect(body.mutations.map((m: {rule: string}) => m.rule)).toEqual(expect.arrayContaining(['managed-by', 'default-timeout']));
    expect(body.projectedAcceleratorHours).toBeGreaterThan(0);
    expect(await g.simJobs()).toEqual([]);
    expect((await g.auditEntries()).map(entry => entry.verdict)).toEqual(['validated']);
  });

  it('creates the job with the policy mutations applied, and records the decision', async () => {
    const {status, body} = await g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs`, goodJob());
    expect(status).toBe(200);
    expect(body.name).toMatch(/^projects\/\d+\/locations\/us-central1\/nasJobs\/\d+$/);
    const [job] = await g.simJobs();
    expect(job!.labels).toMatchObject({'managed-by': 'nasmon', team: 'nlp', 'cost-center': 'cc-1234'});
    // The gate's request key: how a lost answer, or a create the gate never audited, is found again.
    expect(job!.labels.request_id).toMatch(/^[0-9a-f]{40}$/);
    expect(job!.nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.searchTrialJobSpec.scheduling.timeout).toBe('86400s');
    const [audit] = await g.auditEntries();
    expect(audit).toMatchObject({caller: 'dave@example.com', action: 'create', verdict: 'allowed', resultingJob: body.name, httpStatus: 200});
    const deadline = Date.now() + 10_000;
    const allowed = () => g.received.find(e => e.type === 'nasmon.nasjob.v1.request' && e.data.verdict === 'allowed');
    while (!allowed() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
    expect(allowed()?.data).toMatchObject({caller: 'dave@example.com', action: 'create', resultingJob: body.name});
    // The published event's outbox record goes with a later commit, or on its own within a second.
    const outbox = () => g.firestore.collection('nasmonOutbox').get();
    while ((await outbox()).size > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
    expect((await outbox()).size).toBe(0);
    // The create's intent went with its audit entry: nothing is left for recovery.
    expect((await g.firestore.collection('nasmonGateIntents').get()).size).toBe(0);
  });

  it('answers a create only once it is on record: after its intent, or after its audit entry when the intent could not be written', async () => {
    // Without the example's team limit no slot is reserved, so the intent is a write of its own.
    g.usePolicy(parsePolicy({text: examplePolicyWithoutTeamLimit(), format: 'yaml', file: 'no-team-limit.yaml'}));
    let release = () => {};
    const held = new Promise<void>(resolve => (release = resolve));
    const holdAudits = (recordIntent: typeof g.deps.store.recordIntent) =>
      g.useStore({...g.deps.store, recordIntent, recordAudit: async (...args) => (await held, g.deps.store.recordAudit(...args))});
    const answeredWithin = (call: Promise<unknown>, ms: number) =>
      Promise.race([call.then(() => true), new Promise(resolve => setTimeout(() => resolve(false), ms))]);
    try {
      holdAudits(g.deps.store.recordIntent);
      expect(await answeredWithin(g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs`, goodJob()), 5000)).toBe(true);
      holdAudits(() => Promise.reject(new Error('14 UNAVAILABLE: firestore')));
      const unprotected = g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs`, goodJob());
      expect(await answeredWithin(unprotected, 500)).toBe(false);
      release();
      expect((await unprotected).status).toBe(200);
    } finally {
      release();
      g.usePolicy(g.deps.policy);
    }
    expect((await g.auditEntries()).map(entry => entry.verdict)).toEqual(['allowed', 'allowed']);
    expect(g.lines.filter(line => line.includes('could not record a create intent'))).toHaveLength(1);
  });

  it('files the event of a request on a target no poller watches under a watched one, where a poller publishes what the gate could not', async () => {
    g.usePublisher({publish: () => Promise.reject(new Error('Pub/Sub is unreachable'))});
    try {
      const denied = await g.call('alice@example.com', 'POST', '/v1/projects/nas-dev-a/locations/europe-west1/nasJobs', goodJob());
      const elsewhere = await g.call('alice@example.com', 'POST', '/v1/projects/123456/locations/us-central1/nasJobs/42:cancel');
      expect([denied.status, elsewhere.status]).toEqual([403, 404]);
    } finally {
      g.usePublisher();
    }
    const outbox = await g.firestore.collection('nasmonOutbox').get();
    expect(outbox.docs.map(doc => doc.get('targetKey'))).toEqual([`${PROJECT}:${LOCATION}`, `${PROJECT}:${LOCATION}`]);
  });

  it.each([
    ['a region outside the policy (asked by an admin, whom access lets go anywhere)', 'europe-west1', goodJob(), 'allowed-regions'],
    ['a machine type outside the policy', 'us-central1', goodJob({machineType: 'm1-ultramem-160'}), 'machine-types'],
    ['a missing cost-center label', 'us-central1', goodJob({labels: {team: 'nlp'}}), 'cost-labels'],
    ['too many trials', 'us-central1', goodJob({maxTrialCount: 5000}), 'trial-budget'],
  ])('denies %s with 403 naming the rule, and calls nothing', async (what, location, job, rule) => {
    const {status, body} = await g.call(what.includes('admin') ? 'alice@example.com' : 'dave@example.com', 'POST', `/v1/projects/nas-dev-a/locations/${location}/nasJobs`, job);
    expect(status).toBe(403);
    expect(body.error.status).toBe('PERMISSION_DENIED');
    expect(JSON.stringify(body.error.details)).toContain(rule);
    expect(await g.simJobs()).toEqual([]);
    expect((await g.auditEntries())[0]).toMatchObject({verdict: 'denied', httpStatus: 403});
  });

  it('denies a caller no grant covers', async () => {
    const {status, body} = await g.call('stranger@elsewhere.org', 'POST', `/v1/${PARENT}/nasJobs`, goodJob());
    expect(status).toBe(403);
    expect(JSON.stringify(body.error.details)).toContain('access');
  });

  it('creates one job for 20 concurrent duplicates of one requestId', async () => {
    const results = await Promise.all(Array.from({length: 20}, () =>
      g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs?requestId=run-42`, goodJob())));
    expect(results.map(r => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map(r => r.body.name)).size).toBe(1);
    const jobs = await g.simJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.labels.request_id).toMatch(/^[0-9a-f]{40}$/); // derived from (caller, requestId)
  }, 60_000);

  it('counts the jobs a pipeline submits against the team it submits for', async () => {
    // A pipeline has no team of its own; the limit is the job's team's (nlp: 5 in the example policy).
    const kmsKeyName = 'projects/ml-kms/locations/us-central1/keyRings/nas/cryptoKeys/search';
    const create = (i: number) => g.call('trainer@ml-pipelines.iam.gserviceaccount.com', 'POST',
      `/v1/projects/nas-prod/locations/${LOCATION}/nasJobs?requestId=pipeline-${i}`, {...goodJob(), encryptionSpec: {kmsKeyName}});
    for (let i = 0; i < 5; i++) expect((await create(i)).status).toBe(200);
    const sixth = await create(5);
    expect(sixth.status).toBe(403);
    expect(JSON.stringify(sixth.body.error.details)).toContain('team-concurrency');
  }, 60_000);

  it('keeps the team concurrency limit while jobs run and frees it when they end', async () => {
    const create = (i: number) => g.call('dave@example.com', 'POST', `/v1/${PARENT}/nasJobs?requestId=slot-${i}`, goodJob());
    for (let i = 0; i < 5; i++) expect((await create(i)).status).toBe(200);
    const sixth = await create(5);
    expect(sixth.status).toBe(403);
    expect(JSON.stringify(sixth.body.error.details)).toContain('team-concurrency');
    await g.mirror(); // the poller mirrors the five running jobs
    expect((await create(6)).status).toBe(403);
    const [first] = await g.simJobs();
    await g.sim.force(first!.name, 'JOB_STATE_FAILED');
    await g.mirror(); // the poller sees one of them end
    expect((await create(7)).status).toBe(200);
  }, 60_000);
});
