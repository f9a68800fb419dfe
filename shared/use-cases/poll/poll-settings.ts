import type {Config} from '../../config.js';
import type {PollSessionSettings} from './run-poll-session.js';

const LIST_PAGES_RESERVED = 2;
// A first cycle over a big fleet records its jobs over several cycles instead of all at once, which
// bounds the memory and time of one cycle (bench:poll shows the effect at 10,000 jobs).
const MAX_NEW_JOBS_PER_CYCLE = 250; // a normal cycle lists one or two pages before it spends reads on gets

/**
 * Derives one session's settings from the configuration. The session ends `pollSessionSeconds`
 * after the tick that started it, so a late or redelivered message polls only what is left of its
 * period (and nothing when the period is over) instead of piling sessions up.
 */
export function pollSettings(config: Config, tickTime: string, now: Date): PollSessionSettings {
  const intervalMs = config.pollIntervalSeconds * 1000;
  const readsPerCycle = (config.readsPerMinute * config.quotaShare * config.pollIntervalSeconds) / 60;
  return {
    sessionMs: Date.parse(tickTime) + config.pollSessionSeconds * 1000 - now.getTime(),
    intervalMs,
    maxReadsPerCycle: Math.max(1, Math.floor(readsPerCycle) - LIST_PAGES_RESERVED),
    createWindowMs: Math.max(5 * 60_000, 3 * intervalMs),
    sweepEveryMs: config.sweepMinutes * 60_000,
    maxNewJobsPerCycle: MAX_NEW_JOBS_PER_CYCLE,
  };
}
