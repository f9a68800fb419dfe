// Where each crash point fires: the decorators around the poll store, the publisher, the Vertex
// fetch and enforce's ports, with a `die` that records instead of killing the test process.
import {describe, expect, it} from 'vitest';
import {
  createCrashSwitch, NO_CRASHES, withEnforceCrashPoints, withListPageCrashPoint, withPollStoreCrashPoints, withPublishCrashPoint,
} from '../../../../shared/adapters/chaos/index.js';
import type {FetchInit, FetchLike} from '../../../../shared/adapters/vertex/http-transport.js';
import type {CrashPoint} from '../../../../shared/config.js';
import type {OutboundEvent} from '../../../../shared/core/events/nasjob-event.js';
import {createLogger} from '../../../../shared/log.js';
import type {EventPublisher} from '../../../../shared/ports/event-publisher.js';
import type {OutboxBatch, PollStore} from '../../../../shared/ports/poll-store.js';
import type {EnforceDeps} from '../../../../shared/use-cases/enforce/enforce-deps.js';

class Died extends Error {}

/** A switch arming `points` at probability 1 whose death throws, plus the log lines and the steps seen. */
function harness(points: Partial<Record<CrashPoint, number>>, random = () => 0) {
  const lines: string[] = [];
  const steps: string[] = [];
  const crash = createCrashSwitch(new Map(Object.entries(points)) as Map<CrashPoint, number>, {
    log: createLogger({}, line => lines.push(line)), random,
    die: () => {
      steps.push('died');
      throw new Died();
    },
  });
  return {crash, lines, steps, logged: () => lines.map(line => JSON.parse(line) as Record<string, unknown>)};
}

const batch = (id: string): OutboxBatch => ({id, events: []});
const TARGET = {project: 'proj-a1', location: 'us-central1'};

function fakePollStore(steps: string[], batches: OutboxBatch[]): PollStore {
  const nothing = async () => undefined;
  return {
    acquireLease: async () => true, releaseLease: nothing, leaseExpiry: async () => undefined, readDigest: async () => ({jobs: new Map()}), markTrialsRead: nothing,
    saveScanTimes: nothing, pruneDigest: nothing, pendingOutbox: async () => [], completeOutbox: nothing, recordedJobs: async () => [],
    recordObservations: async () => (steps.push('committed'), batches),
  };
}

describe('the crash switch', () => {
  it('fires at the drawn probability and logs one line naming the point before dying', () => {
    const draws = [0.5, 0.1];
    const {crash, steps, logged} = harness({'poll.afterCommit': 0.2}, () => draws.shift()!);
    crash.reach('poll.afterCommit', {batches: ['b1']}); // 0.5 ≥ 0.2: lives
    expect(steps).toEqual([]);
    expect(() => crash.reach('poll.afterCommit', {batches: ['b2']})).toThrow(Died);
    expect(logged()).toEqual([expect.objectContaining({severity: 'ERROR', crashPoint: 'poll.afterCommit', probability: 0.2, batches: ['b2']})]);
  });

  it('is the no-op switch without points, and never fires an unarmed or zero point', () => {
    expect(createCrashSwitch(new Map(), {log: createLogger({}, () => undefined)})).toBe(NO_CRASHES);
    const {crash, steps} = harness({'poll.afterCommit': 0});
    expect(crash.armed('poll.afterCommit')).toBe(false);
    crash.reach('poll.afterCommit');
    crash.reach('enforce.midCancel');
    expect(steps).toEqual([]);
  });
});

describe('poll.afterCommit', () => {
  it('dies after a commit that wrote outbox batches, never before it', async () => {
    const {crash, steps} = harness({'poll.afterCommit': 1});
    const store = withPollStoreCrashPoints(fakePollStore(steps, [batch('b1')]), crash);
    await expect(store.recordObservations(TARGET, 'h', [], 't')).rejects.toThrow(Died);
    expect(steps).toEqual(['committed', 'died']);
  });

  it('lets a commit without events through, and leaves the store untouched when unarmed', async () => {
    const {crash, steps} = harness({'poll.afterCommit': 1});
    await withPollStoreCrashPoints(fakePollStore(steps, []), crash).recordObservations(TARGET, 'h', [], 't');
    expect(steps).toEqual(['committed']);
    const plain = fakePollStore(steps, []);
    expect(withPollStoreCrashPoints(plain, harness({'enforce.midCancel': 1}).crash)).toBe(plain);
  });
});

describe('poll.afterPublish', () => {
  it('dies once Pub/Sub accepted the events, not when the publish failed', async () => {
    const {crash, steps} = harness({'poll.afterPublish': 1});
    const events = [{id: 'job/state/1'}] as unknown as OutboundEvent[];
    const accepting: EventPublisher = {publish: async () => void steps.push('published')};
    await expect(withPublishCrashPoint(accepting, crash, 'poll.afterPublish').publish(events)).rejects.toThrow(Died);
    expect(steps).toEqual(['published', 'died']);
    const failing: EventPublisher = {publish: async () => Promise.reject(new Error('pubsub down'))};
    await expect(withPublishCrashPoint(failing, crash, 'poll.afterPublish').publish(events)).rejects.toThrow('pubsub down');
    expect(steps).toEqual(['published', 'died']);
  });
});

describe('poll.midPagination', () => {
  const init: FetchInit = {method: 'GET', headers: {}, signal: new AbortController().signal};
  const base = 'http://127.0.0.1:8089/v1/projects/p/locations/us-central1/nasJobs';

  it('dies before a nasJobs list call with a page token, and only there', async () => {
    const {crash, steps} = harness({'poll.midPagination': 1});
    const inner: FetchLike = async url => (steps.push(`fetched ${new URL(url).search}`), {status: 200, headers: {get: () => null}, text: async () => '{}'});
    const fetch = withListPageCrashPoint(inner, crash);
    await fetch(`${base}?pageSize=100`, init);
    await fetch(`${base}/123?pageToken=abc`, init); // a get, not a list page
    await fetch(`${base}/123/nasTrialDetails?pageToken=abc`, init);
    await expect(fetch(`${base}?pageSize=100&pageToken=abc`, init)).rejects.toThrow(Died);
    expect(steps).toEqual(['fetched ?pageSize=100', 'fetched ?pageToken=abc', 'fetched ?pageToken=abc', 'died']);
  });
});

describe('enforce crash points', () => {
  function ports(steps: string[], batches: OutboxBatch[]): Pick<EnforceDeps, 'store' | 'vertex'> {
    return {
      store: {
        transact: async (_name, decide) => (steps.push('committed'), {result: decide({state: {}} as never).result, batches}),
      } as EnforceDeps['store'],
      vertex: {cancelNasJob: async () => void steps.push('cancel sent'), getNasJob: async () => Promise.reject(new Error('unused'))},
    };
  }

  it('enforce.afterCommit dies after a commit with events, not after one without', async () => {
    const {crash, steps} = harness({'enforce.afterCommit': 1});
    await withEnforceCrashPoints(ports(steps, []), crash).store.transact('job', () => ({result: 1}));
    expect(steps).toEqual(['committed']);
    await expect(withEnforceCrashPoints(ports(steps, [batch('b1')]), crash).store.transact('job', () => ({result: 1}))).rejects.toThrow(Died);
    expect(steps).toEqual(['committed', 'committed', 'died']);
  });

  it('enforce.beforeCancel dies before the cancel is sent, enforce.midCancel after Vertex took it', async () => {
    const before = harness({'enforce.beforeCancel': 1});
    await expect(withEnforceCrashPoints(ports(before.steps, []), before.crash).vertex.cancelNasJob('job')).rejects.toThrow(Died);
    expect(before.steps).toEqual(['died']);
    const mid = harness({'enforce.midCancel': 1});
    await expect(withEnforceCrashPoints(ports(mid.steps, []), mid.crash).vertex.cancelNasJob('job')).rejects.toThrow(Died);
    expect(mid.steps).toEqual(['cancel sent', 'died']);
  });

  it('leaves both ports as they are when none of its points is armed', () => {
    const plain = ports([], []);
    const wrapped = withEnforceCrashPoints(plain, harness({'poll.afterCommit': 1}).crash);
    expect(wrapped.store).toBe(plain.store);
    expect(wrapped.vertex).toBe(plain.vertex);
  });
});
