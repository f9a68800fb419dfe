import {randomUUID} from 'node:crypto';
import * as ff from '@google-cloud/functions-framework';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {decodePubSubEnvelope} from '../shared/core/messages/pubsub-envelope.js';
import {parseTargetMessage} from '../shared/core/messages/target-message.js';
import {releaseStaleDelivery, runPollSession} from '../shared/use-cases/poll/run-poll-session.js';
import {pollSettings} from '../shared/use-cases/poll/poll-settings.js';
import {productionDeps, type Deps} from './wiring/poll.js';
import {eventLogger, settle} from './edge.js';

/** pollTarget: polls one (project, location) for most of a scheduler period. */
export const pollTargetEntry = (deps: () => Deps) => (event: CloudEvent<unknown>) => {
  const {config, log, poll} = deps();
  return settle(eventLogger(log, 'pollTarget', event), async invocationLog => {
    const message = parseTargetMessage(decodePubSubEnvelope(event.data).json, config.targets);
    const settings = pollSettings(config, message.tickTime, poll.now());
    // The event id is the Pub/Sub message id: the same for every delivery of one message.
    const session = {...poll, holder: randomUUID(), delivery: event.id, log: invocationLog};
    if (settings.sessionMs <= 0) {
      const leaseReleased = await releaseStaleDelivery(message, session);
      invocationLog.warn('dropping a stale poll-targets message', {target: `${message.project}/${message.location}`, tickTime: message.tickTime, leaseReleased});
      return;
    }
    await runPollSession(message, session, settings);
  });
};

ff.cloudEvent('pollTarget', pollTargetEntry(productionDeps));
