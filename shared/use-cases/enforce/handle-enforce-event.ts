import {parseEnforceTrigger} from '../../core/enforce/index.js';
import type {PubSubMessage} from '../../core/messages/pubsub-envelope.js';
import type {EnforceDeps} from './enforce-deps.js';
import {evaluateJob, type EvaluationReport} from './evaluate-job.js';

/**
 * One nasjob-events message: a state change, deletion or finished trial evaluates the job at once
 * (so a cancel is confirmed, or a failure share acted on, within seconds of the poller seeing it)
 * and leaves its next due time for the tick. Other events are acknowledged and ignored. A malformed
 * message throws MalformedMessageError (the edge logs and acknowledges it); any other failure is
 * thrown so Pub/Sub redelivers, which is safe: every action is taken at most once.
 */
export async function handleEnforceEvent(deps: EnforceDeps, message: PubSubMessage): Promise<EvaluationReport | undefined> {
  const trigger = parseEnforceTrigger(message);
  if (trigger.kind === 'ignore') {
    deps.log.debug('event ignored', {reason: trigger.reason, messageId: message.messageId});
    return undefined;
  }
  return evaluateJob(deps, trigger.jobName, trigger.trials);
}
