// The composition root: configuration and SDK clients, built on first use and reused while the
// instance stays warm. Tests build their own dependencies and never come here.
import {Firestore} from '@google-cloud/firestore';
import {PubSub} from '@google-cloud/pubsub';
import {GoogleAuth, OAuth2Client} from 'google-auth-library';
import {createHash, randomUUID} from 'node:crypto';
import {createFirestorePollStore} from '../shared/adapters/firestore/index.js';
import {createFirestoreGateStore} from '../shared/adapters/firestore/firestore-gate-store.js';
import {loadPolicyFile} from '../shared/adapters/policy/load-policy-file.js';
import type {GateDeps} from '../shared/use-cases/gate/gate-deps.js';
import {createPubSubEventPublisher} from '../shared/adapters/pubsub/index.js';
import {createPubSubTargetQueue} from '../shared/adapters/pubsub/pubsub-target-queue.js';
import {createRequestBudget, createVertexNasClient, type VertexNasClient} from '../shared/adapters/vertex/index.js';
import {ConfigError, loadConfig, type Config} from '../shared/config.js';
import {createLogger, type Logger} from '../shared/log.js';
import {boundedStore} from '../shared/use-cases/poll/bounded-store.js';
import type {PollSessionDeps} from '../shared/use-cases/poll/run-poll-session.js';
import type {TargetQueue} from '../shared/use-cases/poll/fan-out-targets.js';

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
let gate: Promise<GateDeps> | undefined;

/** The process-wide dependencies, built once. */
export function productionDeps(): Deps {
  return (deps ??= buildDeps());
}

/** The gate's dependencies: the policy file is read once per instance. */
export function productionGateDeps(): Promise<GateDeps> {
  return (gate ??= buildGateDeps(productionDeps()));
}

async function buildGateDeps(base: Deps): Promise<GateDeps> {
  if (!base.config.policyPath) throw new ConfigError(['NASMON_POLICY: required by nasJobsApi, the path of the policy file']);
  return {
    policy: await loadPolicyFile(base.config.policyPath),
    vertex: base.vertex,
    store: createFirestoreGateStore({firestore: base.firestore}),
    publisher: base.poll.publisher,
    log: base.log.child({fn: 'nasJobsApi'}),
    now: () => new Date(),
    newId: randomUUID,
    requestKey: (caller, requestId) => createHash('sha256').update(`${caller}\n${requestId}`).digest('hex').slice(0, 40),
  };
}

function buildDeps(): Deps {
  const config = loadConfig();
  const log = createLogger({service: 'nasmon'});
  const firestore = new Firestore({projectId: config.projectId});
  const pubsub = new PubSub({projectId: config.projectId});
  const vertex = createVertexNasClient({
    auth: vertexAuth(config),
    ...(config.vertexApiEndpoint ? {baseUrl: config.vertexApiEndpoint} : {}),
    budget: createRequestBudget({readsPerMinute: config.readsPerMinute, share: config.quotaShare}),
    timeoutMs: 20_000,
  });
  return {
    config,
    log,
    firestore,
    vertex,
    poll: {
      vertex,
      // Bounded, so a Firestore outage fails a cycle in seconds instead of holding the session for minutes.
      store: boundedStore(createFirestorePollStore({firestore}), STORE_DEADLINE_MS),
      // Bounded, so a Pub/Sub outage costs a cycle seconds, not a minute; the outbox keeps the events.
      publisher: createPubSubEventPublisher({pubsub, topicName: config.eventsTopic, timeoutMs: 10_000}),
      now: () => new Date(),
      sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    },
    targetQueue: createPubSubTargetQueue({pubsub, topicName: config.targetsTopic}),
  };
}

function vertexAuth(config: Config): GoogleAuth | OAuth2Client {
  if (!config.vertexStaticToken) return new GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform']});
  const client = new OAuth2Client();
  client.setCredentials({access_token: config.vertexStaticToken, expiry_date: Date.now() + 365 * 86_400_000});
  return client;
}
