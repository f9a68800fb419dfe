// notify's dependencies: the policy file's notifications section and the channel secrets, read and
// checked against each other once per instance. notify needs Firestore and its channels, nothing of
// the pollers' configuration (loadNotifyConfig).
import {randomUUID} from 'node:crypto';
import {createFirestoreJobDirectory} from '../../shared/adapters/firestore/firestore-job-directory.js';
import {createFirestoreNotifyStore} from '../../shared/adapters/firestore/firestore-notify-store.js';
import {loadPolicyFile} from '../../shared/adapters/policy/load-policy-file.js';
import {createSlackWebhookPoster} from '../../shared/adapters/slack/slack-webhook-poster.js';
import {createSmtpMailSender} from '../../shared/adapters/smtp/smtp-mail-sender.js';
import {checkChannelsConfigured, ConfigError, loadNotifyConfig} from '../../shared/config.js';
import {NOTIFY_LEASE_MS, type MailSender, type NotifyDeps} from '../../shared/use-cases/notify/notify-ports.js';
import {firestoreClient, processLogger} from './clients.js';

let notify: Promise<NotifyDeps> | undefined;

/**
 * notify's dependencies. A failure is not cached, so a transient one (the file system, say) does
 * not keep the instance broken; a configuration error is retried until the deploy is fixed.
 */
export function productionNotifyDeps(): Promise<NotifyDeps> {
  return (notify ??= buildNotifyDeps().catch((error: unknown) => {
    notify = undefined;
    throw error;
  }));
}

async function buildNotifyDeps(): Promise<NotifyDeps> {
  const config = loadNotifyConfig();
  const policy = await loadPolicyFile(config.policyPath);
  checkChannelsConfigured(policy.notifications, config, config.policyPath);
  const firestore = firestoreClient(config);
  const log = processLogger();
  const noMail: MailSender = {send: async () => Promise.reject(new ConfigError(['NASMON_SMTP_URL: not set']))};
  return {
    policy: policy.notifications,
    store: createFirestoreNotifyStore({firestore}),
    jobs: createFirestoreJobDirectory({firestore, log}),
    slack: createSlackWebhookPoster({webhooks: config.slackWebhooks}),
    mail: config.smtpUrl && config.emailFrom ? createSmtpMailSender({url: config.smtpUrl, from: config.emailFrom}) : noMail,
    timing: {windowMs: config.groupSeconds * 1000, leaseMs: NOTIFY_LEASE_MS},
    consoleJobUrl: config.consoleJobUrl,
    log: log.child({fn: 'notify'}),
    now: () => new Date(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    newId: randomUUID,
  };
}
