import * as ff from '@google-cloud/functions-framework';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {decodePubSubEnvelope} from '../shared/core/messages/pubsub-envelope.js';
import {createLogger, type Logger} from '../shared/log.js';
import type {EnforceDeps} from '../shared/use-cases/enforce/enforce-deps.js';
import {handleEnforceEvent} from '../shared/use-cases/enforce/handle-enforce-event.js';
import {runEnforceTick} from '../shared/use-cases/enforce/run-enforce-tick.js';
import {recoverGateCreates, type RecoverCreatesDeps} from '../shared/use-cases/gate/recover-creates.js';
import {productionEnforceDeps, productionRecoveryDeps} from './wiring/enforce.js';
import {eventLogger, settle} from './edge.js';

/** enforce: a nasjob-events message (state change, deletion, finished trial) → its job is evaluated now. */
export const enforceEntry = (deps: () => Promise<EnforceDeps>, log: Logger) => (event: CloudEvent<unknown>) =>
  settle(eventLogger(log, 'enforce', event), async invocationLog => {
    const message = decodePubSubEnvelope(event.data); // malformed: acknowledged before any set-up
    await handleEnforceEvent({...(await deps()), log: invocationLog}, message);
  });

/**
 * enforceTick: the scheduler's tick (any payload) → the jobs that are due are evaluated, then the
 * gate's abandoned creates are recorded (`recover`; a failure there is logged, not the tick's).
 */
export const enforceTickEntry = (deps: () => Promise<EnforceDeps>, log: Logger, recover?: () => RecoverCreatesDeps) => (event: CloudEvent<unknown>) =>
  settle(eventLogger(log, 'enforceTick', event), async invocationLog => {
    await runEnforceTick({...(await deps()), log: invocationLog});
    if (!recover) return;
    try {
      await recoverGateCreates({...recover(), log: invocationLog});
    } catch (error) {
      invocationLog.error('could not look for creates the gate did not record; the next tick tries again', {error: error as Error});
    }
  });

const log = createLogger({service: 'nasmon'});
ff.cloudEvent('enforce', enforceEntry(productionEnforceDeps, log));
ff.cloudEvent('enforceTick', enforceTickEntry(productionEnforceDeps, log, productionRecoveryDeps));
