import type {ClaimPlan, Duties, GroupTiming} from '../../core/notify/group-state.js';
import type {MirroredJob} from '../../core/notify/job-facts.js';
import type {NotifyEvent} from '../../core/notify/notify-event.js';
import type {SlackMessage} from '../../core/notify/to-slack-message.js';
import type {EmailMessage} from '../../core/notify/to-email.js';
import type {NotificationPolicy} from '../../core/policy/notification-policy.js';
import type {Logger} from '../../log.js';

/** One (job, channel): the unit of de-duplication order and of grouping. */
export interface GroupKey {
  /** The job's resource name (`ce-nasjob`). */
  readonly subject: string;
  readonly channel: string;
}

/** How a group ended, as recorded with it. */
export interface GroupRecord {
  readonly outcome: 'sent' | 'rejected';
  readonly detail?: string;
  readonly eventIds: readonly string[];
}

/** What recording an event for a channel found, and what this invocation now has to do. */
export interface EnqueueResult {
  /** `added`: recorded now; `pending`: recorded before, not sent yet; `settled`: sent (or refused) before. */
  readonly status: 'added' | 'pending' | 'settled';
  readonly duties: Duties;
}

/** Where notify keeps delivery records and groups; each call is one or a few short transactions. */
export interface NotifyStore {
  /** Records `event` for the key's channel once (by ce-id): joins the open group or opens one ({@link planJoin}, {@link planRedelivery}). */
  enqueue(key: GroupKey, event: NotifyEvent, holder: string, nowMs: number, timing: GroupTiming): Promise<EnqueueResult>;
  /** Applies {@link planClaim} to group `gen` (and its predecessor). */
  claim(key: GroupKey, gen: number, holder: string, nowMs: number, timing: GroupTiming): Promise<ClaimPlan>;
  /** The events recorded for a group (frozen once it is sending). */
  groupEvents(key: GroupKey, gen: number): Promise<NotifyEvent[]>;
  /** Applies {@link planFinish} and records the outcome; false when the group was taken over meanwhile. */
  finish(key: GroupKey, gen: number, holder: string, nowMs: number, record: GroupRecord): Promise<boolean>;
  /** Applies {@link planRelease} to the groups `holder` worked on. */
  release(key: GroupKey, gens: readonly number[], holder: string, nowMs: number): Promise<void>;
}

/** Reads what the poller's mirror knows about a job. */
export interface JobDirectory {
  describe(jobName: string): Promise<MirroredJob | undefined>;
}

/** The provider took the message, or refused it for good (never retried); transient failures throw. */
export type DeliveryOutcome =
  | {readonly status: 'sent'; readonly detail?: string}
  | {readonly status: 'rejected'; readonly detail: string};

/** Posts to a named Slack incoming webhook. */
export interface SlackPoster {
  post(webhook: string, message: SlackMessage): Promise<DeliveryOutcome>;
}

/** Sends one email to a list of recipients. */
export interface MailSender {
  send(to: readonly string[], message: EmailMessage): Promise<DeliveryOutcome>;
}

/** Everything the notify use case needs. */
export interface NotifyDeps {
  readonly policy: NotificationPolicy;
  readonly store: NotifyStore;
  readonly jobs: JobDirectory;
  readonly slack: SlackPoster;
  readonly mail: MailSender;
  readonly timing: GroupTiming;
  /** NASMON_CONSOLE_JOB_URL. */
  readonly consoleJobUrl: string;
  readonly log: Logger;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** A fresh unique id (an invocation's holder id, a group id). */
  readonly newId: () => string;
}

/**
 * How long a holder may take before others take its group over: longer than the slowest send
 * (Slack: 3 posts of 10 s plus short Retry-After waits; SMTP: 15 s per stage), with room to spare.
 */
export const NOTIFY_LEASE_MS = 120_000;
