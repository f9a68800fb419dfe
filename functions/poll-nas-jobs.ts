import * as ff from '@google-cloud/functions-framework';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {fanOutTargets} from '../shared/use-cases/poll/fan-out-targets.js';
import {productionDeps, type Deps} from './wiring/poll.js';
import {eventLogger, settle} from './edge.js';

/** pollNasJobs: the scheduler's tick (any payload) → one poll-targets message per configured target. */
export const pollNasJobsEntry = (deps: () => Deps) => (event: CloudEvent<unknown>) => {
  const {config, log, targetQueue} = deps();
  const tickTime = event.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time).toISOString() : new Date().toISOString();
  return settle(eventLogger(log, 'pollNasJobs', event), invocationLog =>
    fanOutTargets(config.targets, tickTime, {queue: targetQueue, log: invocationLog}));
};

ff.cloudEvent('pollNasJobs', pollNasJobsEntry(productionDeps));
