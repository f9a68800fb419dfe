import type {Target} from '../../config.js';
import {MalformedMessageError} from './pubsub-envelope.js';

/** The payload pollNasJobs sends to pollTarget on topic poll-targets: `{"project", "location"}`. */
export interface TargetMessage extends Target {
  /** When the scheduler tick that fanned this out fired; stale messages are dropped. */
  readonly tickTime: string;
}

/** Validates a poll-targets message against the configured targets. */
export function parseTargetMessage(json: unknown, configured: readonly Target[]): TargetMessage {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new MalformedMessageError('data', 'must be a JSON object {"project", "location", "tickTime"}');
  }
  const {project, location, tickTime} = json as Record<string, unknown>;
  if (typeof project !== 'string' || project === '') throw new MalformedMessageError('data.project', 'must be a non-empty string');
  if (typeof location !== 'string' || location === '') throw new MalformedMessageError('data.location', 'must be a non-empty string');
  if (typeof tickTime !== 'string' || Number.isNaN(Date.parse(tickTime))) {
    throw new MalformedMessageError('data.tickTime', 'must be an RFC 3339 time');
  }
  if (!configured.some(target => target.project === project && target.location === location)) {
    throw new MalformedMessageError('data', `${project}/${location} is not in NASMON_TARGETS`);
  }
  return {project, location, tickTime};
}
