// The dashboard's Firestore reads against the emulator, over documents written by the real writers:
// the poller (over the simulator), the gate's use case, enforce's store and notify's store.
import {randomUUID} from 'node:crypto';
import {Timestamp} from '@google-cloud/firestore';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {createFirestoreDashboardStore} from '../../shared/adapters/firestore/dashboard-store.js';
import {createFirestoreEnforceStore} from '../../shared/adapters/firestore/firestore-enforce-store.js';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import {createFirestoreNotifyStore} from '../../shared/adapters/firestore/firestore-notify-store.js';
import {parseGateRequest} from '../../shared/core/gate/parse-gate-request.js';
import {parsePolicy} from '../../shared/core/policy/index.js';
import {handleGateCall} from '../../shared/use-cases/gate/handle-gate-call.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {notifyEventOf, pollEvents} from '../notify-events.js';
import {startPollerFixture, storedHistory, TARGET, type PollerFixture} from './poller.support.js';

const projectId = testProjectId(import.meta.url);
const docId = (name: string) => name.replaceAll('/', '~');

describeWithEmulators('the dashboard\'s Firestore store', () => {
  let f: PollerFixture;
  let names: string[];
  let clockMs = 0;
  const store = () => createFirestoreDashboardStore({firestore: f.firestore, log: f.log, clock: () => clockMs});
  beforeAll(async () => {
    f = await startPollerFixture(projectId);
    await f.lease();
    const body = {...TARGET, count: 3, ageSeconds: 3600, labels: {team: 'vision', 'sim-scenario': 'stuck-pending'}};
    names = ((await f.admin('POST', 'jobs:seed', body)) as {names: string[]}).names;
    await f.cycle();
  });
  afterAll(async () => f?.close());

  it('reads the newest jobs first, at most the limit, and says when older ones are left out', async () => {
    const all = await store().recentJobs(10);
    const two = await store().recentJobs(2);
    const createTimes = all.jobs.map(job => Date.parse(job.record.job.createTime!));

    expect(all).toMatchObject({truncated: false, unreadable: 0});
    expect(all.jobs.map(job => job.record.name).sort()).toEqual([...names].sort());
    expect(createTimes).toEqual([...createTimes].sort((a, b) => b - a));
    expect(all.jobs[0]).toMatchObject({project: TARGET.project, location: TARGET.location, team: 'vision', id: docId(all.jobs[0]!.record.name)});
    expect(two.truncated).toBe(true);
    expect(two.jobs.map(job => job.id)).toEqual(all.jobs.slice(0, 2).map(job => job.id));
  });

  it('between full reads, reads only what changed; the periodic full read catches what increments cannot', async () => {
    const dashboard = store();
    const [first, second] = (await dashboard.recentJobs(10)).jobs;
    await f.sim.force(first!.record.name, 'JOB_STATE_CANCELLED');
    await f.cycle();
    await f.firestore.collection('nasJobs').doc(second!.id).delete(); // no writer does this; only a full read can notice
    clockMs += 2000;

    const increment = await dashboard.recentJobs(10);
    clockMs += 10 * 60_000;
    const full = await dashboard.recentJobs(10);

    expect(increment.jobs.find(job => job.id === first!.id)?.record.state).toBe('JOB_STATE_CANCELLED');
    expect(increment.jobs.map(job => job.id)).toContain(second!.id);
    expect(full.jobs.map(job => job.id)).not.toContain(second!.id);
  });

  it('leaves out a document it cannot read, counts it, and names it in the log', async () => {
    await f.firestore.collection('nasJobs').doc('projects~1~locations~us-central1~nasJobs~999').set({name: 7, createTime: Timestamp.now()});

    const recent = await store().recentJobs(10);

    expect(recent.unreadable).toBe(1);
    expect(recent.jobs.length).toBeGreaterThan(0);
    expect(f.logged('cannot be shown on the dashboard')[0]?.doc).toBe('nasJobs/projects~1~locations~us-central1~nasJobs~999');
    await f.firestore.collection('nasJobs').doc('projects~1~locations~us-central1~nasJobs~999').delete();
  });

  it('gathers one job\'s file: history, the gate\'s and enforce\'s audit, and notifications with their outcome', async () => {
    const name = (await store().recentJobs(10)).jobs.at(-1)!.record.name; // the oldest: the test above removed the second newest
    const jobId = name.slice(name.lastIndexOf('/') + 1);
    await refuseCancel(f, `/v1/projects/${TARGET.project}/locations/${TARGET.location}/nasJobs/${jobId}:cancel`);
    await createFirestoreEnforceStore({firestore: f.firestore}).transact(name, snapshot => ({result: undefined, write: {
      state: snapshot.state, events: [], targetKey: `${TARGET.project}:${TARGET.location}`,
      audit: [{key: 'queue-time/warn/0.8', jobName: name, time: new Date().toISOString(),
        fields: {action: 'warn', rule: 'queue-time', reason: 'waiting for 2.4h of a 3h limit (80%)', dryRun: false, eventId: `${name}/enforcement/queue-time/warn/0.8`}}],
    }}));
    await notifyOnce(f, name);

    const file = (await store().jobFile(docId(name)))!;

    expect(file.history.map(h => h.sequence).sort()).toEqual((await storedHistory(f.firestore, name)).map(h => h.sequence));
    expect(file.audit.map(entry => [entry.source, entry.source === 'gate' ? entry.verdict : entry.key])).toEqual(expect.arrayContaining([
      ['gate', 'denied'], ['enforce', 'queue-time/warn/0.8'],
    ]));
    expect(file.deliveries).toMatchObject([{channel: 'vision-slack', kind: 'stateChanged', state: 'sent'}]);
  });

  it.each([['an unknown job', 'projects~1~locations~x~nasJobs~404'], ['an id that is not a document id', '../nasmonAudit']])('finds nothing for %s', async (_, id) => {
    expect(await store().jobFile(id)).toBeUndefined();
  });
});

// A cancel by someone no grant covers: the gate refuses it and audits it under the path the caller used.
async function refuseCancel(f: PollerFixture, target: string): Promise<void> {
  const deps = {
    policy: parsePolicy({text: JSON.stringify({version: 1, access: []}), format: 'json', file: 'none.json'}), vertex: f.vertex,
    store: createFirestoreGateStore({firestore: f.firestore}), publisher: f.publisher, log: f.log, now: () => new Date(), newId: randomUUID,
    requestKey: (caller: string, id: string) => `${caller}:${id}`,
  };
  await handleGateCall(deps, {email: 'mallory@example.org'}, parseGateRequest({method: 'POST', target, body: undefined})).catch(() => undefined);
}

// One notification of the job's first state change to one channel, sent.
async function notifyOnce(f: PollerFixture, name: string): Promise<void> {
  const notify = createFirestoreNotifyStore({firestore: f.firestore});
  const key = {subject: name, channel: 'vision-slack'};
  const event = {...notifyEventOf(pollEvents({state: 'JOB_STATE_FAILED'})[0]!), subject: name};
  const timing = {windowMs: 0, leaseMs: 120_000};
  const now = Date.now();
  await notify.enqueue(key, event, 'holder', now, timing);
  await notify.claim(key, 1, 'holder', now, timing);
  await notify.finish(key, 1, 'holder', now, {outcome: 'sent', eventIds: [event.id]});
}
