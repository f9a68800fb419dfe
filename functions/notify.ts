import * as ff from '@google-cloud/functions-framework';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {decodePubSubEnvelope} from '../shared/core/messages/pubsub-envelope.js';
import {createLogger, type Logger} from '../shared/log.js';
import {handleNotifyEvent} from '../shared/use-cases/notify/handle-notify-event.js';
import type {NotifyDeps} from '../shared/use-cases/notify/notify-ports.js';
import {productionNotifyDeps} from './wiring/notify.js';
import {eventLogger, settle} from './edge.js';

/** notify: one event of nasjob-events → Slack and email, once per channel, bursts of one job grouped. */
export const notifyEntry = (deps: () => Promise<NotifyDeps>, log: Logger = createLogger({service: 'nasmon'})) =>
  (event: CloudEvent<unknown>) => settle(eventLogger(log, 'notify', event), async invocationLog => {
    const message = decodePubSubEnvelope(event.data);
    await handleNotifyEvent(message, {...(await deps()), log: invocationLog});
  });

ff.cloudEvent('notify', notifyEntry(productionNotifyDeps));
