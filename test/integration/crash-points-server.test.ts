// NASMON_CRASH_POINTS in a real function process: pollTarget, served by the functions framework,
// is told to die at a crash point with probability 1. It must die exactly there (SIGKILL, one log
// line naming the point, nothing of the steps after it done), and the next run must deliver what the
// dead one committed: each transition once, under the ce-id the outbox kept.
import {readOutboxBatch} from '../../shared/adapters/firestore/outbox-doc.js';
import type {Message, Subscription} from '@google-cloud/pubsub';
import {Timestamp} from '@google-cloud/firestore';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {startSimulator, type RunningSimulator} from '../../simulator/server.js';
import {docIdOf, targetKeyOf} from '../../shared/adapters/firestore/collections.js';
import {describeWithEmulators, emulatorFirestore, emulatorPubSub, resetFirestore, testProjectId, uniqueName} from '../harness/emulators.js';
import {jsonLines, startFunctionProcess, type FunctionProcess} from './function-process.support.js';

const projectId = testProjectId(import.meta.url);
const COMMIT_TARGET = {project: 'demo-crash-commit', location: 'us-central1'};
const PAGES_TARGET = {project: 'demo-crash-pages', location: 'us-central1'};

describeWithEmulators('a function process killed at a crash point', () => {
  const firestore = emulatorFirestore(projectId);
  const pubsub = emulatorPubSub(projectId);
  const topicName = uniqueName('nasjob-events');
  const received: Array<{id: string; messageId: string}> = [];
  const servers: FunctionProcess[] = [];
  let sim: RunningSimulator;
  let subscription: Subscription;

  const seed = async (target: typeof COMMIT_TARGET, count: number) => {
    const reply = await fetch(`${sim.url}/simulator/jobs:seed`, {method: 'POST', body: JSON.stringify({...target, count, scenarioMix: {succeed: 1}})});
    return ((await reply.json()) as {names: string[]}).names;
  };
  const serve = async (crashPoints: string | undefined, sessionSeconds = 1) => {
    const server = await startFunctionProcess('pollTarget', {
      GOOGLE_CLOUD_PROJECT: projectId, VERTEX_API_ENDPOINT: sim.url, NASMON_VERTEX_STATIC_TOKEN: 'test',
      NASMON_TARGETS: [COMMIT_TARGET, PAGES_TARGET].map(t => `${t.project}/${t.location}`).join(','), NASMON_EVENTS_TOPIC: topicName,
      NASMON_POLL_INTERVAL_SECONDS: '1', NASMON_POLL_SESSION_SECONDS: String(sessionSeconds),
      ...(crashPoints ? {NASMON_CRASH_POINTS: crashPoints} : {}),
    });
    servers.push(server);
    return server;
  };
  /**
   * A poll-targets message for `target`, pushed as Pub/Sub push would (`message` delivers one again:
   * the same id and tick time); resolves with the status, or the error of a dead server.
   */
  const tick = (server: FunctionProcess, target: typeof COMMIT_TARGET, message = {id: uniqueName('m'), tickTime: new Date().toISOString()}) => {
    const data = Buffer.from(JSON.stringify({...target, tickTime: message.tickTime})).toString('base64');
    const body = {message: {data, attributes: {}, messageId: message.id}, subscription: `projects/${projectId}/subscriptions/poll-target`};
    return fetch(`${server.url}/projects/${projectId}/topics/poll-targets`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
      .then(response => response.status, (error: Error) => error);
  };
  const crashLines = (server: FunctionProcess) => jsonLines(server.lines).filter(line => line.crashPoint !== undefined);
  const outboxIds = async (target: typeof COMMIT_TARGET) => {
    const docs = (await firestore.collection('nasmonOutbox').where('targetKey', '==', targetKeyOf(target)).get()).docs;
    return docs.flatMap(doc => readOutboxBatch(doc).events.map(event => event.id)).sort();
  };
  const mirrored = async (names: readonly string[]) =>
    (await Promise.all(names.map(name => firestore.collection('nasJobs').doc(docIdOf(name)).get()))).filter(doc => doc.exists).length;
  const historyOf = async (name: string) => (await firestore.collection('nasJobs').doc(docIdOf(name)).collection('history').get()).size;

  beforeAll(async () => {
    await resetFirestore(projectId);
    sim = await startSimulator({timeScale: 0});
    const [topic] = await pubsub.createTopic(topicName);
    [subscription] = await topic.createSubscription(uniqueName('events'));
    subscription.on('message', (message: Message) => {
      received.push({id: message.attributes['ce-id'] ?? '', messageId: message.id});
      message.ack();
    });
  });
  afterAll(async () => {
    await Promise.all(servers.map(server => server.stop()));
    await subscription?.close();
    await pubsub.close();
    await firestore.terminate();
    await sim?.close();
  });

  it('dies at poll.afterCommit with the events in the outbox; the redelivered message takes over at once and publishes each once, same ce-id', async () => {
    const names = await seed(COMMIT_TARGET, 2);
    // A session long enough for its message to be delivered again while it would still run.
    const doomed = await serve('poll.afterCommit=1', 8);
    const message = {id: uniqueName('m'), tickTime: new Date().toISOString()};
    expect(await tick(doomed, COMMIT_TARGET, message)).toBeInstanceOf(Error); // the connection died with the process
    expect(await doomed.ended).toEqual({code: null, signal: 'SIGKILL'});
    expect(crashLines(doomed)).toEqual([expect.objectContaining({severity: 'ERROR', crashPoint: 'poll.afterCommit', probability: 1})]);
    // Committed, not published: the mirror and the outbox hold the first transition of each job.
    const committed = names.map(name => `${name}/state/1`).sort();
    expect(await outboxIds(COMMIT_TARGET)).toEqual(committed);
    expect(await mirrored(names)).toBe(names.length);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(received).toEqual([]);

    // The dead session never released its lease (SIGKILL runs no finally): another message's session
    // would wait until it ends (session + interval + 15 s). Pub/Sub delivers the unacknowledged
    // message again, and that delivery takes the lease over at once.
    const lease = await firestore.collection('nasmonLeases').doc(targetKeyOf(COMMIT_TARGET)).get();
    expect(lease.get('delivery')).toBe(message.id);
    const expiresMs = (lease.get('expiresAt') as Timestamp).toMillis();
    const survivor = await serve(undefined, 8);
    const redelivered = tick(survivor, COMMIT_TARGET, message);
    const deadline = Date.now() + 10_000;
    while (received.length < committed.length && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
    expect(Date.now()).toBeLessThan(expiresMs - 5_000); // well before the dead lease would have ended
    expect(await redelivered).toBe(204);
    await new Promise(resolve => setTimeout(resolve, 500)); // room for a duplicate to show up
    expect(received.map(event => event.id).sort()).toEqual(committed);
    expect(await outboxIds(COMMIT_TARGET)).toEqual([]);
    for (const name of names) expect(await historyOf(name)).toBe(1); // recorded once, by the dead run
    expect(crashLines(survivor)).toEqual([]);
  }, 90_000);

  it('dies at poll.midPagination before the second page is asked for, with nothing of the cycle written', async () => {
    const names = await seed(PAGES_TARGET, 150); // two pages of 100
    const doomed = await serve('poll.midPagination=1');
    expect(await tick(doomed, PAGES_TARGET)).toBeInstanceOf(Error);
    expect(await doomed.ended).toEqual({code: null, signal: 'SIGKILL'});
    expect(crashLines(doomed)).toEqual([expect.objectContaining({crashPoint: 'poll.midPagination', url: expect.stringContaining('pageToken=')})]);
    expect(await mirrored(names)).toBe(0);
    expect(await outboxIds(PAGES_TARGET)).toEqual([]);
  }, 60_000);
});
