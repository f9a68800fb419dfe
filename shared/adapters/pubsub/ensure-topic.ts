import type {PubSub, Topic} from '@google-cloud/pubsub';

const ALREADY_EXISTS = 6;

/**
 * Creates the topic unless it exists, for tests and the local stack; production topics come from
 * infra. Safe to race: a concurrent creation counts as success.
 */
export async function ensureTopic(pubsub: PubSub, name: string): Promise<Topic> {
  const topic = pubsub.topic(name);
  const [exists] = await topic.exists();
  if (exists) return topic;
  try {
    const [created] = await pubsub.createTopic(name);
    return created;
  } catch (error) {
    if ((error as {code?: unknown}).code === ALREADY_EXISTS) return topic;
    throw error;
  }
}
