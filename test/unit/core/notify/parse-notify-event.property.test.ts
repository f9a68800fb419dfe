import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {buildEvent, EVENT_TYPES, type OutboundEvent} from '../../../../shared/core/events/nasjob-event.js';
import {MalformedMessageError, type PubSubMessage} from '../../../../shared/core/messages/pubsub-envelope.js';
import {composeNotification} from '../../../../shared/core/notify/compose-notification.js';
import {jobFactsOf} from '../../../../shared/core/notify/job-facts.js';
import {parseNotifyEvent} from '../../../../shared/core/notify/parse-notify-event.js';
import {routeEvent} from '../../../../shared/core/notify/route-event.js';
import {toEmail} from '../../../../shared/core/notify/to-email.js';
import {toSlackMessage} from '../../../../shared/core/notify/to-slack-message.js';
import {DEFAULT_CONSOLE_JOB_URL} from '../../../../shared/config.js';
import {failedJob, JOB_NAME, messageOf, pollEvents, trials, withTrials} from '../../../notify-events.js';
import {mutated} from '../vertex/json-mutations.js';
import {examplePolicy} from '../policy/support.js';

// Whatever arrives on the topic, parseNotifyEvent answers with an event, an unknown type or a
// MalformedMessageError naming a field; and whatever it accepts, routing and both renderings handle.

const enforcement = buildEvent({id: 'e', type: EVENT_TYPES.enforcement, job: {name: JOB_NAME}, time: '2025-07-20T12:00:00Z', state: 'JOB_STATE_RUNNING'},
  {jobName: JOB_NAME, rule: 'max-run-time', action: 'cancel', reason: 'ran 14d', dryRun: false});
const ROUTES = examplePolicy().notifications;
const SAMPLES: OutboundEvent[] = [...pollEvents({...failedJob(), ...withTrials(trials(2))}), enforcement];

function outcome(message: PubSubMessage): 'event' | 'unknown' | 'malformed' {
  try {
    const event = parseNotifyEvent(message);
    if (event.kind === 'unknown') return 'unknown';
    const facts = jobFactsOf(event.subject, [event], undefined);
    routeEvent(ROUTES, event, facts);
    const notification = composeNotification(facts, [event], {consoleJobUrl: DEFAULT_CONSOLE_JOB_URL});
    expect(toSlackMessage(notification).blocks.length).toBeGreaterThan(0);
    expect(toEmail(notification).subject).not.toMatch(/[\r\n]/);
    return 'event';
  } catch (error) {
    if (error instanceof MalformedMessageError && error.field !== '') return 'malformed';
    throw error;
  }
}

describe('parseNotifyEvent never crashes', () => {
  it('on damaged payloads of every kind the poller publishes', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES).chain(event => mutated(event.data).map(data => ({event, data}))), ({event, data}) => {
      outcome({...messageOf(event), json: data});
    }), {numRuns: 1000});
  });

  it('on damaged attributes', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES).chain(event => mutated(event.attributes).map(attributes => ({event, attributes}))), ({event, attributes}) => {
      // Pub/Sub attributes are always strings: keep the damage within what the envelope allows.
      const entries = typeof attributes === 'object' && attributes !== null ? Object.entries(attributes) : [];
      const strings = Object.fromEntries(entries.filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      outcome({...messageOf(event), attributes: strings});
    }), {numRuns: 500});
  });

  it('on arbitrary JSON as the payload, refusing it unless the kind has no required field', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES), fc.jsonValue(), (event, json) => {
      // An enforcement event's fields are all optional: any object is a (sparse) enforcement event.
      const lenient = event.type === EVENT_TYPES.enforcement && typeof json === 'object' && json !== null && !Array.isArray(json);
      expect(lenient ? ['event', 'malformed'] : ['malformed']).toContain(outcome({...messageOf(event), json}));
    }), {numRuns: 300});
  });
});
