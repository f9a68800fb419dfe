import type {Logger} from '../../log.js';
import {EventPublishError, type EventPublisher} from '../../ports/event-publisher.js';
import type {OutboxBatch, PollStore} from '../../ports/poll-store.js';

/**
 * Publishes committed outbox batches and removes the ones that went out. A failed batch stays in
 * the outbox for the next cycle: a crash or an outage costs a late (never a lost) event, and a
 * re-publish carries the same ce-id. Returns what went out and the batches still waiting.
 *
 * All batches go to the publisher in one call, in the order given (which is each job's order), so
 * the publisher can send many jobs' events in one request.
 */
export async function publishBatches(
  deps: {store: Pick<PollStore, 'completeOutbox'>; publisher: EventPublisher; log: Logger},
  batches: readonly OutboxBatch[],
): Promise<{published: number; waiting: OutboxBatch[]}> {
  if (batches.length === 0) return {published: 0, waiting: []};
  let failed: ReadonlySet<string> | 'all' = new Set();
  try {
    await deps.publisher.publish(batches.flatMap(batch => batch.events));
  } catch (error) {
    failed = error instanceof EventPublishError ? new Set(error.eventIds) : 'all';
    deps.log.warn('publish failed; the outbox keeps the events for the next cycle', {batches: batches.length, error: error as Error});
  }
  const done: string[] = [];
  const waiting: OutboxBatch[] = [];
  let published = 0;
  const stalledJobs = new Set<string>();
  for (const batch of batches) {
    const job = jobOf(batch);
    // A job's later batches wait behind its failed one, or they would overtake it next cycle.
    if (stalledJobs.has(job) || failed === 'all' || batch.events.some(event => failed.has(event.id))) {
      stalledJobs.add(job);
      waiting.push(batch);
      continue;
    }
    done.push(batch.id);
    published += batch.events.length;
  }
  if (done.length > 0) await deps.store.completeOutbox(done);
  return {published, waiting};
}

function jobOf(batch: OutboxBatch): string {
  return batch.events[0]?.jobName ?? batch.id;
}
