import {describe, expect, it} from 'vitest';
import type {OutboundEvent} from '../../../../shared/core/events/nasjob-event.js';
import {createLogger} from '../../../../shared/log.js';
import {EventPublishError, type EventPublisher} from '../../../../shared/ports/event-publisher.js';
import type {OutboxBatch} from '../../../../shared/ports/poll-store.js';
import {publishBatches} from '../../../../shared/use-cases/poll/publish-batches.js';

const event = (job: string, n: number) => ({id: `${job}/${n}`, jobName: job, orderingKey: job} as unknown as OutboundEvent);
const batch = (id: string, job: string, ...ns: number[]): OutboxBatch => ({id, events: ns.map(n => event(job, n))});

/** A publisher that records each call and refuses the events whose ids are in `refuse`. */
function recordingPublisher(refuse: readonly string[] = [], other?: Error) {
  const calls: string[][] = [];
  const publisher: EventPublisher = {
    async publish(events) {
      calls.push(events.map(e => e.id));
      if (other) throw other;
      const failed = events.filter(e => refuse.includes(e.id)).map(e => e.id);
      if (failed.length > 0) throw new EventPublishError('upstream-unavailable', failed, new Error('unavailable'));
    },
  };
  return {publisher, calls};
}

function harness(publisher: EventPublisher) {
  const completed: string[][] = [];
  const deps = {publisher, log: createLogger({}, () => undefined), store: {completeOutbox: async (ids: readonly string[]) => void completed.push([...ids])}};
  return {deps, completed};
}

describe('publishBatches', () => {
  const batches = [batch('a1', 'A', 1, 2), batch('b1', 'B', 1), batch('a2', 'A', 3), batch('c1', 'C', 1)];

  it('hands every event to the publisher in one call, in the given order, and completes every batch', async () => {
    const {publisher, calls} = recordingPublisher();
    const {deps, completed} = harness(publisher);
    await expect(publishBatches(deps, batches)).resolves.toEqual({published: 5, waiting: []});
    expect(calls).toEqual([['A/1', 'A/2', 'B/1', 'A/3', 'C/1']]);
    expect(completed).toEqual([['a1', 'b1', 'a2', 'c1']]);
  });

  it('keeps a batch with a refused event, and the later batches of its job, and completes the rest', async () => {
    const {publisher} = recordingPublisher(['A/2']);
    const {deps, completed} = harness(publisher);
    const result = await publishBatches(deps, batches);
    expect(result).toEqual({published: 2, waiting: [batches[0], batches[2]]});
    expect(completed).toEqual([['b1', 'c1']]);
  });

  it('keeps every batch when the publisher fails without naming events', async () => {
    const {publisher} = recordingPublisher([], new Error('socket hang up'));
    const {deps, completed} = harness(publisher);
    const result = await publishBatches(deps, batches);
    expect(result).toEqual({published: 0, waiting: batches});
    expect(completed).toEqual([]);
  });

  it('does nothing for no batches', async () => {
    const {publisher, calls} = recordingPublisher();
    const {deps} = harness(publisher);
    await expect(publishBatches(deps, [])).resolves.toEqual({published: 0, waiting: []});
    expect(calls).toEqual([]);
  });
});
