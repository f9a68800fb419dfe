import type {Logger} from '../../log.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {OutboxBatch, PollStore} from '../../ports/poll-store.js';

/**
 * Publishes committed outbox batches and removes the ones that went out. A failed batch stays in
 * the outbox for the next cycle: a crash or an outage costs a late (never a lost) event, and a
 * re-publish carries the same ce-id. Returns what went out and the batches still waiting.
 */
export async function publishBatches(
  deps: {store: Pick<PollStore, 'completeOutbox'>; publisher: EventPublisher; log: Logger},
  batches: readonly OutboxBatch[],
): Promise<{published: number; waiting: OutboxBatch[]}> {
  if (batches.length === 0) return {published: 0, waiting: []};
  const done: string[] = [];
  const waiting: OutboxBatch[] = [];
  let published = 0;
  // One job's batches must go out in order; different jobs may interleave (ordering is per job).
  await Promise.all(groupByJob(batches).map(async group => {
    for (const [index, batch] of group.entries()) {
      try {
        await deps.publisher.publish(batch.events);
      } catch (error) {
        deps.log.warn('publish failed; the outbox keeps the events for the next cycle', {batch: batch.id, error: error as Error});
        waiting.push(...group.slice(index)); // later batches of this job wait, or they would overtake this one
        return;
      }
      done.push(batch.id);
      published += batch.events.length;
    }
  }));
  if (done.length > 0) await deps.store.completeOutbox(done);
  return {published, waiting};
}

function groupByJob(batches: readonly OutboxBatch[]): OutboxBatch[][] {
  const groups = new Map<string, OutboxBatch[]>();
  for (const batch of batches) {
    const key = batch.events[0]?.jobName ?? batch.id;
    groups.set(key, [...(groups.get(key) ?? []), batch]);
  }
  return [...groups.values()];
}
