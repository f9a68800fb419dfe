import {composeNotification} from '../../core/notify/compose-notification.js';
import type {Duties} from '../../core/notify/group-state.js';
import {jobFactsOf} from '../../core/notify/job-facts.js';
import {toEmail} from '../../core/notify/to-email.js';
import {toSlackMessage} from '../../core/notify/to-slack-message.js';
import {NasmonError} from '../../errors.js';
import type {Logger} from '../../log.js';
import type {DeliveryOutcome, GroupKey, NotifyDeps} from './notify-ports.js';

// What an invocation does for the groups it holds: wait out the window, claim, render, send, and
// record how it ended. A transient failure hands the group back and rethrows, so Pub/Sub redelivers.

// A holder waits at most this many rounds for an earlier sender before giving the work back.
const MAX_CLAIM_ROUNDS = 600;
/** Events read for one message; a longer burst is counted, not listed, past this. */
export const MAX_GROUP_EVENTS = 1000;

/** Carries out what enqueueing (or a takeover) made this invocation responsible for. */
export async function performDuties(deps: NotifyDeps, key: GroupKey, holder: string, duties: Duties, log: Logger): Promise<void> {
  const held = new Set<number>();
  try {
    if (duties.resend !== undefined) await sendGroup(deps, key, duties.resend, holder, log.child({resend: true}), held);
    if (duties.flushOpen !== undefined) await flushOpenGroup(deps, key, duties.flushOpen, holder, log, held);
  } catch (error) {
    await deps.store.release(key, [...held], holder, deps.now().getTime()).catch((releaseError: unknown) =>
      log.warn('could not hand the group back; its lease will expire instead', {error: releaseError as Error}));
    throw error;
  }
}

async function flushOpenGroup(deps: NotifyDeps, key: GroupKey, gen: number, holder: string, log: Logger, held: Set<number>): Promise<void> {
  held.add(gen);
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const plan = await deps.store.claim(key, gen, holder, deps.now().getTime(), deps.timing);
    switch (plan.kind) {
      case 'lost':
        log.info('another invocation took this group over', {gen});
        return;
      case 'wait':
        await deps.sleep(Math.max(0, plan.untilMs - deps.now().getTime()));
        break;
      case 'resend-previous':
        await sendGroup(deps, key, plan.previous.gen, holder, log.child({resend: true}), held);
        break;
      case 'claimed':
        await sendGroup(deps, key, gen, holder, log, held);
        return;
    }
  }
  throw new NasmonError('upstream-unavailable', `group ${gen} of ${key.channel} could not be claimed; handing it to a redelivery`);
}

/** Renders and sends a frozen group, then records the outcome. */
async function sendGroup(deps: NotifyDeps, key: GroupKey, gen: number, holder: string, log: Logger, held: Set<number>): Promise<void> {
  held.add(gen);
  const events = await deps.store.groupEvents(key, gen);
  if (events.length === 0) {
    // Only a record written by a newer nasmon in a format this one cannot read leads here.
    log.warn('a group has no readable events; closing it', {gen});
    await deps.store.finish(key, gen, holder, deps.now().getTime(), {outcome: 'rejected', detail: 'no readable events', eventIds: []});
    return;
  }
  const notification = composeNotification(jobFactsOf(key.subject, events, await deps.jobs.describe(key.subject)), events, {consoleJobUrl: deps.consoleJobUrl});
  const outcome = await sendToChannel(deps, key.channel, notification);
  const eventIds = events.map(event => event.id);
  const fields = {gen, events: events.length, ...(outcome.status === 'sent' ? {} : {reason: outcome.detail})};
  if (outcome.status === 'rejected') log.error('the channel refused the notification for good; it will not be retried', fields);
  else log.info('notification sent', {...fields, ...(outcome.detail ? {detail: outcome.detail} : {})});
  const finished = await deps.store.finish(key, gen, holder, deps.now().getTime(), {
    outcome: outcome.status, eventIds, ...(outcome.detail ? {detail: outcome.detail} : {}),
  });
  if (!finished) log.warn('this group was taken over while it was being sent; it may be sent twice', {gen});
}

function sendToChannel(deps: NotifyDeps, name: string, notification: ReturnType<typeof composeNotification>): Promise<DeliveryOutcome> {
  const channel = deps.policy.channels.get(name);
  if (!channel) {
    // The policy changed between enqueueing and sending: nothing can deliver this group any more.
    return Promise.resolve({status: 'rejected', detail: `channel "${name}" is no longer in the policy file`});
  }
  return channel.kind === 'slack'
    ? deps.slack.post(channel.webhook, toSlackMessage(notification))
    : deps.mail.send(channel.to, toEmail(notification));
}
