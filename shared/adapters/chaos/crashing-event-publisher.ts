// A crash point just after Pub/Sub accepted a publish (poll.afterPublish): the events are out but
// their outbox batches are not cleared yet, so the next cycle publishes them again. Consumers must
// see the same ce-id twice and act once.
import type {CrashPoint} from '../../config.js';
import type {EventPublisher} from '../../ports/event-publisher.js';
import type {CrashSwitch} from './crash-switch.js';

/** `publisher` with `point` reached after every publish Pub/Sub accepted in full. */
export function withPublishCrashPoint(publisher: EventPublisher, crash: CrashSwitch, point: CrashPoint): EventPublisher {
  if (!crash.armed(point)) return publisher;
  return {
    async publish(events) {
      await publisher.publish(events);
      if (events.length > 0) crash.reach(point, {events: events.map(event => event.id)});
    },
  };
}
