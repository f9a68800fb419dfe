import type {PubSubMessage} from '../../core/messages/pubsub-envelope.js';
import {jobFactsOf} from '../../core/notify/job-facts.js';
import type {NotifyEvent} from '../../core/notify/notify-event.js';
import {parseNotifyEvent} from '../../core/notify/parse-notify-event.js';
import {routeEvent} from '../../core/notify/route-event.js';
import {NasmonError} from '../../errors.js';
import type {Logger} from '../../log.js';
import {performDuties} from './deliver-group.js';
import type {NotifyDeps} from './notify-ports.js';

/**
 * notify, for one delivery from `nasjob-events`: parses the event, routes it to channels, records
 * it once per channel, and sends whatever this invocation ends up holding. Resolves when this
 * invocation's part is done (the event is then safe to acknowledge); rejects when Pub/Sub should
 * redeliver. A malformed delivery throws MalformedMessageError (the edge acknowledges it).
 */
export async function handleNotifyEvent(message: PubSubMessage, deps: NotifyDeps): Promise<void> {
  const event = parseNotifyEvent(message);
  if (event.kind === 'unknown') {
    deps.log.warn('ignoring an event of a type notify does not know', {ceType: event.type, ceId: event.id});
    return;
  }
  const facts = jobFactsOf(event.subject, [event], await deps.jobs.describe(event.subject));
  const route = routeEvent(deps.policy, event, facts);
  const log = deps.log.child({ceId: event.id, kind: event.kind, job: event.subject});
  if (route.channels.length === 0) {
    log.info('no channel wants this event', {rules: route.rules});
    return;
  }
  log.info('routing event', {channels: route.channels, rules: route.rules});
  const holder = deps.newId();
  const results = await Promise.allSettled(route.channels.map(channel => notifyChannel(deps, event, channel, holder, log.child({channel}))));
  // Every channel had its chance; one failing channel makes Pub/Sub redeliver, and the channels
  // that already delivered recognise the event and send nothing again.
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function notifyChannel(deps: NotifyDeps, event: NotifyEvent, channel: string, holder: string, log: Logger): Promise<void> {
  const key = {subject: event.subject, channel};
  for (let round = 0; round < MAX_WATCH_ROUNDS; round++) {
    const {status, duties: {watch, ...work}} = await deps.store.enqueue(key, event, holder, deps.now().getTime(), deps.timing);
    if (round === 0 && status !== 'added') log.info('event already recorded for this channel', {status});
    await performDuties(deps, key, holder, work, log);
    // A redelivery stays until its group is sent, so it is there to take over if the holder died.
    if (!watch) return;
    await deps.sleep(Math.max(0, watch.untilMs - deps.now().getTime()));
  }
  throw new NasmonError('upstream-unavailable', `the group of ${event.id} on ${channel} is still pending; a redelivery will look again`);
}

// Watching ends when the group is sent or its lease runs out (then this invocation takes over);
// the bound only guards against a clock that never moves.
const MAX_WATCH_ROUNDS = 1000;
