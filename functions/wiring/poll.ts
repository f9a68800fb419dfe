// The pollers' dependencies (pollNasJobs, pollTarget): the configuration with its targets, the
// poll store and the target queue, over the shared clients.
import type {Firestore} from '@google-cloud/firestore';
import {withPollStoreCrashPoints, withPublishCrashPoint} from '../../shared/adapters/chaos/index.js';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import {createPubSubTargetQueue} from '../../shared/adapters/pubsub/pubsub-target-queue.js';
import type {VertexNasClient} from '../../shared/adapters/vertex/index.js';
import {loadConfig, type Config} from '../../shared/config.js';
import type {Logger} from '../../shared/log.js';
import {boundedStore} from '../../shared/use-cases/poll/bounded-store.js';
import type {TargetQueue} from '../../shared/use-cases/poll/fan-out-targets.js';
import type {PollSessionDeps} from '../../shared/use-cases/poll/run-poll-session.js';
import {eventPublisher, firestoreClient, processCrashSwitch, processLogger, pubsubClient, vertexClient, vertexServerClock} from './clients.js';

/** What the poller entry points work with. */
export interface Deps {
  readonly config: Config;
  readonly log: Logger;
  readonly poll: Omit<PollSessionDeps, 'holder' | 'log'>;
  readonly targetQueue: TargetQueue;
  readonly firestore: Firestore;
  readonly vertex: VertexNasClient;
}

// Well above a busy cycle's longest store call (a few seconds), well below the 60 s session.
const STORE_DEADLINE_MS = 30_000;

let deps: Deps | undefined;

/** The pollers' dependencies, built once (from `config` when the caller has loaded it already). */
export function productionDeps(config?: Config): Deps {
  return (deps ??= buildDeps(config ?? loadConfig()));
}

function buildDeps(config: Config): Deps {
  const firestore = firestoreClient(config);
  const vertex = vertexClient(config);
  const crash = processCrashSwitch(); // chaos runs only; each decorator is a no-op unless its point is armed
  return {
    config,
    log: processLogger(),
    firestore,
    vertex,
    poll: {
      vertex,
      // Bounded, so a Firestore outage fails a cycle in seconds instead of holding the session for minutes.
      store: boundedStore(withPollStoreCrashPoints(createFirestorePollStore({firestore}), crash), STORE_DEADLINE_MS),
      publisher: withPublishCrashPoint(eventPublisher(config), crash, 'poll.afterPublish'),
      now: () => new Date(),
      vertexNow: () => vertexServerClock().now(),
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    },
    targetQueue: createPubSubTargetQueue({pubsub: pubsubClient(config), topicName: config.targetsTopic}),
  };
}
