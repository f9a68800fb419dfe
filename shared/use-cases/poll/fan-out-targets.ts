import type {Target} from '../../config.js';
import type {TargetMessage} from '../../core/messages/target-message.js';
import type {Logger} from '../../log.js';

/** Where pollNasJobs puts one message per target for pollTarget. */
export interface TargetQueue {
  enqueue(messages: readonly TargetMessage[]): Promise<void>;
}

/**
 * Turns one scheduler tick into one message per (project, location), so every target is polled by
 * its own invocation and one slow or failing target never holds up the others.
 */
export async function fanOutTargets(targets: readonly Target[], tickTime: string, deps: {queue: TargetQueue; log: Logger}): Promise<void> {
  await deps.queue.enqueue(targets.map(target => ({...target, tickTime})));
  deps.log.info('fanned out poll targets', {targets: targets.length, tickTime});
}
