// Shared by the entry-point tests of the poller: Deps built from the poller fixture (configuration from
// a literal, as style.md asks), Pub/Sub CloudEvents and push bodies, and a count of what was written.
import type {CloudEvent} from '@google-cloud/functions-framework';
import type {Deps} from '../../functions/deps.js';
import {loadConfig} from '../../shared/config.js';
import type {TargetMessage} from '../../shared/core/messages/target-message.js';
import {TARGET, type PollerFixture} from './poller.support.js';

export const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A Pub/Sub delivery whose message data is `fields` as JSON. */
export const targetData = (fields: Record<string, unknown>) => ({message: {messageId: 'm-1', data: b64(JSON.stringify(fields))}});

/** A Pub/Sub CloudEvent as the functions framework hands it to a cloudEvent function. */
export function pubsubEvent(projectId: string, id: string, data: unknown, time?: string): CloudEvent<unknown> {
  return {
    specversion: '1.0', id, type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/projects/${projectId}/topics/poll-targets`, data, ...(time ? {time} : {}),
  };
}

/** The test's Deps: the fixture's real adapters, a collected target queue, configuration from a literal. */
export function testDeps(f: PollerFixture, projectId: string, queued: TargetMessage[] = []): Deps {
  const config = loadConfig({
    GOOGLE_CLOUD_PROJECT: projectId, NASMON_TARGETS: `${TARGET.project}/${TARGET.location}`, VERTEX_API_ENDPOINT: f.sim.url,
    NASMON_POLL_INTERVAL_SECONDS: '1', NASMON_POLL_SESSION_SECONDS: '1', NASMON_EVENTS_TOPIC: f.topicName,
  });
  const poll = {
    vertex: f.vertex, store: f.store, publisher: f.publisher, now: () => new Date(),
    sleep: (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)),
  };
  const targetQueue = {enqueue: async (messages: readonly TargetMessage[]) => void queued.push(...messages)};
  return {config, log: f.log, poll, targetQueue, firestore: f.firestore, vertex: f.vertex};
}

/** How many documents each collection the poller writes holds. */
export async function pollerDocs(f: PollerFixture): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of ['nasJobs', 'nasmonOutbox', 'nasmonTargets', 'nasmonLeases']) counts[name] = (await f.firestore.collection(name).get()).size;
  return counts;
}

export const NOTHING_WRITTEN = {nasJobs: 0, nasmonOutbox: 0, nasmonTargets: 0, nasmonLeases: 0};
