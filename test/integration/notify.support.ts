// Set-up of notify's integration tests: the real Firestore store on the emulator, the real Slack
// and SMTP adapters talking to the peers in notify-peers.support.ts, the poller's store to write the
// job mirror, and a clock a test can hold still (so a grouping window ends when the test says).
import {randomUUID} from 'node:crypto';
import type {Firestore} from '@google-cloud/firestore';
import {createFirestorePollStore} from '../../shared/adapters/firestore/index.js';
import {createFirestoreJobDirectory} from '../../shared/adapters/firestore/firestore-job-directory.js';
import {createFirestoreNotifyStore} from '../../shared/adapters/firestore/firestore-notify-store.js';
import {COLLECTIONS} from '../../shared/adapters/firestore/collections.js';
import {DEFAULT_CONSOLE_JOB_URL} from '../../shared/config.js';
import {createSlackWebhookPoster} from '../../shared/adapters/slack/slack-webhook-poster.js';
import {createSmtpMailSender} from '../../shared/adapters/smtp/smtp-mail-sender.js';
import type {OutboundEvent} from '../../shared/core/events/nasjob-event.js';
import {parsePolicy} from '../../shared/core/policy/index.js';
import type {NasJob} from '../../shared/core/vertex/nas-job.js';
import {createLogger} from '../../shared/log.js';
import {handleNotifyEvent} from '../../shared/use-cases/notify/handle-notify-event.js';
import type {NotifyDeps} from '../../shared/use-cases/notify/notify-ports.js';
import {emulatorFirestore, resetFirestore} from '../harness/emulators.js';
import {messageOf} from '../notify-events.js';
import {startMailServer, startWebhookReceiver} from './notify-peers.support.js';

/** The webhook paths the policy's channels post to; each stands for a secret Slack URL. */
export const HOOKS = {vision: '/services/T1/B1/vision-secret-token', revoked: '/services/T1/B2/revoked-secret-token'};

/** A policy file (JSON) routing the vision team's events to Slack and email. */
export function notifyPolicyText(notifications: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 1,
    teams: {vision: {emails: ['bob@example.com']}},
    access: [],
    notifications: {
      channels: {
        'vision-slack': {slack: 'vision'}, 'vision-mail': {email: ['vision-oncall@example.com']},
        'revoked-slack': {slack: 'revoked'}, 'refusing-mail': {email: ['refused@example.com']},
      },
      teams: {vision: ['vision-slack', 'vision-mail']},
      ...notifications,
    },
  });
}

/** A clock that moves only when told: sleepers wake when `advance` passes their time. */
export class ManualClock {
  private sleepers: Array<{untilMs: number; wake: () => void}> = [];
  /** How many sleeps are waiting: a test waits for the holder to be asleep before moving on. */
  get sleeping(): number {
    return this.sleepers.length;
  }
  constructor(public nowMs = Date.parse('2025-07-20T12:05:10Z')) {}
  readonly now = () => new Date(this.nowMs);
  readonly sleep = (ms: number) => new Promise<void>(wake => this.sleepers.push({untilMs: this.nowMs + ms, wake}));
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.sleepers.filter(sleeper => sleeper.untilMs <= this.nowMs);
    this.sleepers = this.sleepers.filter(sleeper => sleeper.untilMs > this.nowMs);
    for (const sleeper of due) sleeper.wake();
  }
}

/** Options of {@link startNotifyFixture}. */
export interface NotifyFixtureOptions {
  readonly windowMs?: number;
  readonly clock?: ManualClock;
  readonly notifications?: Record<string, unknown>;
}

/** Everything a notify test needs, with log lines and Slack's Retry-After waits collected. */
export async function startNotifyFixture(projectId: string, options: NotifyFixtureOptions = {}) {
  await resetFirestore(projectId);
  const firestore: Firestore = emulatorFirestore(projectId);
  const slack = await startWebhookReceiver();
  const smtp = await startMailServer();
  const lines: string[] = [];
  /** Every line of the fixture's life; `lines` is for one test and may be cleared. */
  const allLines: string[] = [];
  const log = createLogger({}, line => {
    lines.push(line);
    allLines.push(line);
  });
  const retryWaits: number[] = [];
  const clock = options.clock;
  const deps: NotifyDeps = {
    policy: parsePolicy({text: notifyPolicyText(options.notifications), format: 'json', file: 'policy.json'}).notifications,
    store: createFirestoreNotifyStore({firestore}),
    jobs: createFirestoreJobDirectory({firestore, log}),
    slack: createSlackWebhookPoster({
      webhooks: new Map([['vision', slack.url(HOOKS.vision)], ['revoked', slack.url(HOOKS.revoked)]]),
      sleep: async ms => void retryWaits.push(ms), timeoutMs: 5000,
    }),
    mail: createSmtpMailSender({url: smtp.url(), from: 'nasmon <nasmon@example.com>', timeoutMs: 5000}),
    timing: {windowMs: options.windowMs ?? 0, leaseMs: 120_000},
    consoleJobUrl: DEFAULT_CONSOLE_JOB_URL,
    log,
    now: clock ? clock.now : () => new Date(),
    sleep: clock ? clock.sleep : ms => new Promise(resolve => setTimeout(resolve, ms)),
    newId: randomUUID,
  };
  const pollStore = createFirestorePollStore({firestore, log});
  return {
    firestore, slack, smtp, lines, allLines, deps, retryWaits,
    /** notify handling one event as Pub/Sub would deliver it. */
    deliver: (event: OutboundEvent, overrides: Partial<NotifyDeps> = {}) => handleNotifyEvent(messageOf(event), {...deps, ...overrides}),
    /** Records `job` in the mirror as the poller would (for nas-prod/us-central1) and returns the events it published. */
    async observe(job: NasJob, observedTime: string): Promise<OutboundEvent[]> {
      const target = {project: 'nas-prod', location: 'us-central1'};
      await pollStore.acquireLease(target, 'test-poller', 60_000);
      const batches = await pollStore.recordObservations(target, 'test-poller', [{kind: 'seen', name: job.name, job}], observedTime);
      return batches.flatMap(batch => batch.events);
    },
    /** Records that Vertex no longer has the job, as the poller would, and returns the `deleted` event. */
    async observeGone(name: string, observedTime: string): Promise<OutboundEvent[]> {
      const target = {project: 'nas-prod', location: 'us-central1'};
      await pollStore.acquireLease(target, 'test-poller', 60_000);
      const batches = await pollStore.recordObservations(target, 'test-poller', [{kind: 'gone', name}], observedTime);
      return batches.flatMap(batch => batch.events);
    },
    /** How many delivery records exist (one per event and channel). */
    deliveryCount: async () => (await firestore.collection(COLLECTIONS.notifyDeliveries).count().get()).data().count,
    /** How each group of a (job, channel) ended, as recorded. */
    async sentRecords(subject: string, channel: string) {
      const id = `${subject.replaceAll('/', '~')}@${channel}`;
      const snapshot = await firestore.collection(COLLECTIONS.notifyHeads).doc(id).collection(COLLECTIONS.notifyGroups).orderBy('gen').get();
      return snapshot.docs.map(doc => doc.data() as {gen: number; state: string; detail: string | null; eventCount: number});
    },
    /** Parsed log lines whose message contains `text`. */
    logged: (text: string) => lines.map(line => JSON.parse(line) as Record<string, unknown>).filter(line => String(line.message).includes(text)),
    async close() {
      await slack.close();
      await smtp.close();
      await firestore.terminate();
    },
  };
}

export type NotifyFixture = Awaited<ReturnType<typeof startNotifyFixture>>;
