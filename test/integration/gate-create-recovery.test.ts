// A create the gate never audited: nasJobsApi, in a real functions-framework process, is killed at
// its crash point (gate.afterCreate: Vertex made the job, the audit entry is not written). The
// intent it wrote beside the create must let recovery (enforceTick's recoverGateCreates) write the
// entry, settle the team slot, record the creator and publish the request event: once, however often
// it runs, and never over an entry the gate wrote itself.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Timestamp} from '@google-cloud/firestore';
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../../shared/adapters/auth/index.js';
import {docIdOf} from '../../shared/adapters/firestore/collections.js';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import type {CreateIntent} from '../../shared/ports/gate-store.js';
import {recoverGateCreates, type RecoverCreatesDeps} from '../../shared/use-cases/gate/recover-creates.js';
import {describeWithEmulators, resetFirestore, testProjectId} from '../harness/emulators.js';
import {examplePolicyWithoutTeamLimit, goodJob, LOCATION, PARENT, PROJECT} from './gate-api.support.js';
import {jsonLines, startFunctionProcess, type FunctionProcess} from './function-process.support.js';
import {startPollerFixture, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
const AUDIENCE = 'http://nasmon.test/nasJobsApi';
const MINUTE = 60_000;

describeWithEmulators('creates the gate did not audit', () => {
  let f: PollerFixture;
  let issuerDir: string;
  const servers: FunctionProcess[] = [];

  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    issuerDir = mkdtempSync(join(tmpdir(), 'nasmon-issuer-'));
    loadOrCreateLocalIssuer(issuerDir);
  });
  afterAll(async () => {
    await Promise.all(servers.map(server => server.stop()));
    await f?.close();
  });
  beforeEach(async () => {
    await resetFirestore(projectId);
    await f.admin('POST', 'reset');
    f.received.length = 0;
  });

  const store = () => createFirestoreGateStore({firestore: f.firestore});
  const recovery = (nowMs: number): RecoverCreatesDeps => ({store: store(), vertex: f.vertex, publisher: f.publisher, log: f.log, now: () => new Date(nowMs)});
  const docs = async (collection: string) => (await f.firestore.collection(collection).get()).docs;
  const requestEvents = () => f.received.filter(event => event.type === 'nasmon.nasjob.v1.request');
  const waitFor = async (ready: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!ready() && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
  };
  // The example policy counts every team's jobs (the intent rides in the team slot's reservation);
  // without its team-concurrency rule, no team is counted (the intent is a write of its own).
  const policyFile = (counted: boolean) => {
    if (counted) return 'test/fixtures/policy/example.yaml';
    const file = join(issuerDir, 'uncounted.yaml');
    writeFileSync(file, examplePolicyWithoutTeamLimit());
    return file;
  };
  // The gate in a process of its own, armed to die right after Vertex creates a job.
  const crashingGate = async (policy: string) => {
    const server = await startFunctionProcess('nasJobsApi', {
      GOOGLE_CLOUD_PROJECT: projectId, VERTEX_API_ENDPOINT: f.sim.url, NASMON_VERTEX_STATIC_TOKEN: 'test',
      NASMON_TARGETS: `${PROJECT}/${LOCATION}`, NASMON_EVENTS_TOPIC: f.topicName, NASMON_POLICY: policy,
      NASMON_AUTH_MODE: 'local', NASMON_AUTH_AUDIENCE: AUDIENCE, NASMON_LOCAL_ISSUER_DIR: issuerDir,
      NASMON_CRASH_POINTS: 'gate.afterCreate=1',
    });
    servers.push(server);
    return server;
  };

  it.each([
    {name: 'a counted team, no requestId', query: '', counted: true},
    {name: 'an uncounted team, a requestId', query: '?requestId=nightly-42', counted: false},
  ])('a create whose gate died after Vertex made the job is audited by recovery, once ($name)', async ({query, counted}) => {
    const gate = await crashingGate(policyFile(counted));
    const token = signLocalIdToken(loadOrCreateLocalIssuer(issuerDir), {email: 'dave@example.com', audience: AUDIENCE});
    const answer = await fetch(`${gate.url}/v1/${PARENT}/nasJobs${query}`, {
      method: 'POST', headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'}, body: JSON.stringify(goodJob()),
    }).then(response => response.status, (error: Error) => error);
    expect(answer).toBeInstanceOf(Error); // the caller never got an answer
    expect((await gate.ended).signal).toBe('SIGKILL');
    expect(jsonLines(gate.lines).filter(line => line.crashPoint !== undefined).map(line => line.crashPoint)).toEqual(['gate.afterCreate']);

    // What the dead gate left: the job in Vertex, its intent, no audit entry, an unsettled team slot.
    const jobs = (await f.vertex.listNasJobs(PARENT)).items;
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(await docs('nasmonAudit')).toHaveLength(0);
    const [intent] = await docs('nasmonGateIntents');
    expect(intent?.data()).toMatchObject({caller: 'dave@example.com', parent: PARENT, requestKey: job.labels!.request_id});
    expect(intent?.get('slotTeam')).toBe(counted ? 'nlp' : undefined);
    expect((await docs('nasmonTeamSettlements')).flatMap(doc => Object.keys(doc.get('settled') ?? {}))).toEqual([]);

    // A fresh intent may belong to a create still running: recovery leaves it alone.
    expect(await recoverGateCreates(recovery(Date.now()))).toEqual({created: 0, notCreated: 0, dropped: 0, failed: 0});
    expect(await docs('nasmonGateIntents')).toHaveLength(1);

    const later = Date.now() + 11 * MINUTE;
    expect(await recoverGateCreates(recovery(later))).toEqual({created: 1, notCreated: 0, dropped: 0, failed: 0});
    const [entry] = (await docs('nasmonAudit')).map(doc => doc.data());
    expect(entry).toMatchObject({id: intent!.id, caller: 'dave@example.com', action: 'create', target: PARENT, verdict: 'allowed',
      resultingJob: job.name, recoveredAt: new Date(later).toISOString()});
    expect(entry!.mutations.map((m: {rule: string}) => m.rule)).toEqual(expect.arrayContaining(['managed-by', 'default-timeout']));
    expect(entry).not.toHaveProperty('httpStatus');
    expect(await docs('nasmonGateIntents')).toHaveLength(0);
    const settled = (await docs('nasmonTeamSettlements')).flatMap(doc => Object.values(doc.get('settled') as Record<string, {jobName: string}>));
    expect(settled.map(s => s.jobName)).toEqual(counted ? [job.name] : []);
    const owner = await f.firestore.collection('nasmonJobOwners').doc(docIdOf(job.name)).get();
    expect(owner.get('caller')).toBe('dave@example.com');
    if (query) {
      // The caller's retry gets the job at once rather than waiting out the dead gate's claim.
      const [claim] = await docs('nasmonRequests');
      expect(claim?.data()).toMatchObject({state: 'done', jobName: job.name});
    }
    await waitFor(() => requestEvents().length > 0);
    expect(requestEvents().map(event => event.data)).toEqual([expect.objectContaining({verdict: 'allowed', resultingJob: job.name, recoveredAt: new Date(later).toISOString()})]);

    // Again: nothing more to do, nothing written twice.
    expect(await recoverGateCreates(recovery(later + MINUTE))).toEqual({created: 0, notCreated: 0, dropped: 0, failed: 0});
    expect(await docs('nasmonAudit')).toHaveLength(1);
  });

  const anIntent = (id: string, minutesAgo: number, overrides: Partial<CreateIntent> = {}): CreateIntent => ({
    id, time: new Date(Date.now() - minutesAgo * MINUTE).toISOString(), caller: 'erin@example.com', project: PROJECT, location: LOCATION,
    parent: PARENT, requestKey: `${id}-key`, violations: [], warnings: [], mutations: [], slotTeam: 'vision',
    outboxTarget: {project: PROJECT, location: LOCATION}, ...overrides,
  });

  it('audits a create that never reached Vertex as failed, and frees its team slot', async () => {
    await store().recordIntent(anIntent('lost-before-vertex', 20));
    expect(await recoverGateCreates(recovery(Date.now()))).toEqual({created: 0, notCreated: 1, dropped: 0, failed: 0});
    const [entry] = (await docs('nasmonAudit')).map(doc => doc.data());
    expect(entry).toMatchObject({id: 'lost-before-vertex', verdict: 'failed', caller: 'erin@example.com'});
    expect(entry!.error).toMatch(/Vertex has no job/);
    expect(entry).not.toHaveProperty('resultingJob');
    const settled = (await f.firestore.collection('nasmonTeamSettlements').doc('vision').get()).get('settled') as Record<string, {jobName: unknown}>;
    expect(settled['lost-before-vertex-key']?.jobName).toBeNull();
    await waitFor(() => requestEvents().length > 0);
    expect(requestEvents().map(event => event.data.verdict)).toEqual(['failed']);
  });

  it('never writes over an entry the gate wrote after all: the intent is only dropped', async () => {
    await store().recordIntent(anIntent('late-audit', 20));
    const gateEntry = {id: 'late-audit', verdict: 'allowed', httpStatus: 200, caller: 'erin@example.com', at: Timestamp.now()};
    await f.firestore.collection('nasmonAudit').doc('late-audit').set(gateEntry);
    expect(await recoverGateCreates(recovery(Date.now()))).toEqual({created: 0, notCreated: 0, dropped: 1, failed: 0});
    const [entry] = (await docs('nasmonAudit')).map(doc => doc.data());
    expect(entry).toEqual(gateEntry);
    expect(await docs('nasmonGateIntents')).toHaveLength(0);
    expect(await docs('nasmonOutbox')).toHaveLength(0);
  });

  it('drops an intent that does not read back, naming the field, and recovers the others', async () => {
    await f.firestore.collection('nasmonGateIntents').doc('mangled').set({at: Timestamp.fromMillis(Date.now() - 30 * MINUTE), caller: 42});
    await store().recordIntent(anIntent('fine', 20));
    const report = await recoverGateCreates(recovery(Date.now()));
    expect(report).toEqual({created: 0, notCreated: 1, dropped: 1, failed: 0});
    expect(f.lines.some(line => line.includes('unreadable create intent') && line.includes('nasmonGateIntents/mangled'))).toBe(true);
    expect((await docs('nasmonAudit')).map(doc => doc.id)).toEqual(['fine']);
    expect(await docs('nasmonGateIntents')).toHaveLength(0);
  });

  it('writes one entry when two recoveries race for the same intent', async () => {
    await store().recordIntent(anIntent('raced', 20));
    const reports = await Promise.all([recoverGateCreates(recovery(Date.now())), recoverGateCreates(recovery(Date.now()))]);
    expect(reports.reduce((sum, report) => sum + report.notCreated, 0)).toBe(1);
    expect(await docs('nasmonAudit')).toHaveLength(1);
    await waitFor(() => requestEvents().length > 0);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(requestEvents()).toHaveLength(1);
  });
});
