// The baseline nasmon is compared with: a poller with no digest and no list filter. Every cycle it
// lists every job, `get`s every job, reads every job's Firestore document and writes every document
// back, and publishes a stateChanged event for each job whose state differs from its document.
import {Timestamp, type Firestore} from '@google-cloud/firestore';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {enumName, locationName, type NasJob} from '../../shared/core/vertex/index.js';
import type {VertexNasClient} from '../../shared/adapters/vertex/vertex-nas-client.js';
import type {Target} from '../../shared/config.js';
import type {EventPublisher} from '../../shared/ports/event-publisher.js';

/** Firestore's cap on one batch or getAll we stay under. */
const CHUNK = 500;

export interface NaivePollerDeps {
  readonly vertex: Pick<VertexNasClient, 'listNasJobs' | 'getNasJob'>;
  readonly firestore: Firestore;
  readonly publisher: EventPublisher;
  /** Gets in flight at once; an unbounded Promise.all over 10,000 gets would open 10,000 sockets. */
  readonly concurrency: number;
  readonly now: () => Date;
}

/** One naive cycle over one target; returns how many jobs it saw and how many changed. */
export async function runNaiveCycle(target: Target, deps: NaivePollerDeps): Promise<{jobs: number; changed: number}> {
  const listed = await deps.vertex.listNasJobs(locationName(target));
  const jobs = await mapLimited(listed.items, deps.concurrency, job => deps.vertex.getNasJob(job.name));
  const collection = deps.firestore.collection('naiveJobs');
  const refs = jobs.map(job => collection.doc(job.name.replaceAll('/', '~')));
  const stored = new Map<string, string | undefined>();
  for (let start = 0; start < refs.length; start += CHUNK) {
    const snapshots = await deps.firestore.getAll(...refs.slice(start, start + CHUNK));
    for (const snapshot of snapshots) stored.set(snapshot.id, snapshot.get('state') as string | undefined);
  }
  const observedTime = deps.now().toISOString();
  const events: OutboundEvent[] = [];
  for (let start = 0; start < jobs.length; start += CHUNK) {
    const batch = deps.firestore.batch();
    jobs.slice(start, start + CHUNK).forEach((job, offset) => {
      const ref = refs[start + offset]!;
      const state = enumName(job.state);
      const previous = stored.get(ref.id);
      if (previous !== state) events.push(stateChanged(job, previous ?? null, state, observedTime));
      // The whole job as JSON: the document is rewritten whether or not anything changed.
      batch.set(ref, {name: job.name, state, job: JSON.stringify(job), observedAt: Timestamp.fromDate(deps.now())});
    });
    await batch.commit();
  }
  if (events.length > 0) await deps.publisher.publish(events);
  return {jobs: jobs.length, changed: events.length};
}

function stateChanged(job: NasJob, previousState: string | null, state: string, time: string): OutboundEvent {
  const id = `naive:${job.name}:${state}:${time}`;
  const context = {id, type: EVENT_TYPES.stateChanged, job, time, state, previousState};
  return buildEvent(context, {previousState, state, observedTime: time});
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` calls running at once; keeps order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await fn(items[index]!);
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}
