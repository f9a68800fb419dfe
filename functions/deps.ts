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
import {loadConfig, type Config, type GateConfig} from '../shared/config.js';
import {createLogger, type Logger} from '../shared/log.js';
import type {PollSessionDeps} from '../shared/use-cases/poll/run-poll-session.js';
import type {TargetQueue} from '../shared/use-cases/poll/fan-out-targets.js';
import {loadEnforceConfig} from '../shared/adapters/enforce/enforce-config.js';
import {createFirestoreEnforceStore} from '../shared/adapters/firestore/firestore-enforce-store.js';
import {ConfigError} from '../shared/config.js';
import type {EnforceDeps} from '../shared/use-cases/enforce/enforce-deps.js';
import {createFirestoreJobDirectory} from '../shared/adapters/firestore/firestore-job-directory.js';
import {createFirestoreNotifyStore} from '../shared/adapters/firestore/firestore-notify-store.js';
import {checkChannelsConfigured, loadNotifyConfig} from '../shared/adapters/notify-config.js';
import {createSlackWebhookPoster} from '../shared/adapters/slack/slack-webhook-poster.js';
import {createSmtpMailSender} from '../shared/adapters/smtp/smtp-mail-sender.js';
import {NOTIFY_LEASE_MS, type MailSender, type NotifyDeps} from '../shared/use-cases/notify/notify-ports.js';
import {boundedStore} from '../shared/use-cases/poll/bounded-store.js';

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

/** The process-wide dependencies, built once (from `config` when the caller has loaded it already). */
export function productionDeps(config?: Config): Deps {
  return (deps ??= buildDeps(config ?? loadConfig()));
}

/** The gate's dependencies: the policy file is read once per instance. */
export function productionGateDeps(config: GateConfig): Promise<GateDeps> {
  return (gate ??= buildGateDeps(productionDeps(config), config.policyPath));
}

async function buildGateDeps(base: Deps, policyPath: string): Promise<GateDeps> {
  return {
    policy: await loadPolicyFile(policyPath),
    vertex: base.vertex,
    store: createFirestoreGateStore({firestore: base.firestore}),
    publisher: base.poll.publisher,
    log: base.log.child({fn: 'nasJobsApi'}),
    now: () => new Date(),
    newId: randomUUID,
    requestKey: (caller, requestId) => createHash('sha256').update(`${caller}\n${requestId}`).digest('hex').slice(0, 40),
  };
}

function buildDeps(config: Config): Deps {
  const log = createLogger({service: 'nasmon'});
  const firestore = new Firestore({projectId: config.projectId});
  const pubsub = new PubSub({projectId: config.projectId});
  const vertex = createVertexNasClient({
    auth: vertexAuth(config),
    ...(config.vertexApiEndpoint ? {baseUrl: config.vertexApiEndpoint} : {}),
    budget: createRequestBudget({readsPerMinute: config.readsPerMinute, writesPerMinute: config.writesPerMinute, share: config.quotaShare}),
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

let enforce: Promise<EnforceDeps> | undefined;

/** enforce's dependencies: the runtime rules of the policy file, read once per instance. */
export function productionEnforceDeps(): Promise<EnforceDeps> {
  // A failed build is not cached: the next invocation tries again (and logs why) instead of failing forever.
  return (enforce ??= buildEnforceDeps(productionDeps()).catch(error => {
    enforce = undefined;
    throw error;
  }));
}

async function buildEnforceDeps(base: Deps): Promise<EnforceDeps> {
  const settings = loadEnforceConfig();
  if (!base.config.policyPath) throw new ConfigError(['NASMON_POLICY: required by enforce, the path of the policy file with the runtime rules']);
  return {
    policy: (await loadPolicyFile(base.config.policyPath)).runtime,
    store: createFirestoreEnforceStore({firestore: base.firestore}),
    vertex: base.vertex,
    publisher: base.poll.publisher,
    log: base.log.child({fn: 'enforce'}),
    now: () => new Date(),
    settings,
  };
}

function vertexAuth(config: Config): GoogleAuth | OAuth2Client {
  if (!config.vertexStaticToken) return new GoogleAuth({scopes: ['https://www.googleapis.com/auth/cloud-platform']});
  const client = new OAuth2Client();
  client.setCredentials({access_token: config.vertexStaticToken, expiry_date: Date.now() + 365 * 86_400_000});
  return client;
}

let notify: Promise<NotifyDeps> | undefined;

/**
 * notify's dependencies: the policy file's notifications section and the channel secrets, read and
 * checked against each other once per instance. A failure is not cached, so a transient one (the
 * file system, say) does not keep the instance broken.
 */
export function productionNotifyDeps(): Promise<NotifyDeps> {
  return (notify ??= buildNotifyDeps(productionDeps()).catch((error: unknown) => {
    notify = undefined;
    throw error;
  }));
}

async function buildNotifyDeps(base: Deps): Promise<NotifyDeps> {
  const policyPath = base.config.policyPath;
  if (!policyPath) throw new ConfigError(['NASMON_POLICY: required by notify, the path of the policy file whose notifications section routes events']);
  const [policy, settings] = [await loadPolicyFile(policyPath), loadNotifyConfig()];
  checkChannelsConfigured(policy.notifications, settings, policyPath);
  const noMail: MailSender = {send: async () => Promise.reject(new ConfigError(['NASMON_SMTP_URL: not set']))};
  return {
    policy: policy.notifications,
    store: createFirestoreNotifyStore({firestore: base.firestore}),
    jobs: createFirestoreJobDirectory({firestore: base.firestore, log: base.log}),
    slack: createSlackWebhookPoster({webhooks: settings.slackWebhooks}),
    mail: settings.smtpUrl && settings.emailFrom ? createSmtpMailSender({url: settings.smtpUrl, from: settings.emailFrom}) : noMail,
    timing: {windowMs: settings.groupSeconds * 1000, leaseMs: NOTIFY_LEASE_MS},
    consoleJobUrl: settings.consoleJobUrl,
    log: base.log.child({fn: 'notify'}),
    now: () => new Date(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    newId: randomUUID,
  };
}
