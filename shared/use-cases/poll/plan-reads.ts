import {enumName, type NasJobHead} from '../../core/vertex/index.js';
import type {DigestEntry, TargetDigest} from '../../ports/poll-store.js';

// Deciding what one cycle must read with `get`, given the list result and the digest. Pure.

const TERMINAL_STATES = [
  'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_PAUSED', 'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
] as const;
const TERMINAL = new Set<string>(TERMINAL_STATES);

/** True for a state name nasmon stops polling; unknown states count as active, so they keep being read. */
export const isTerminalStateName = (state: string) => TERMINAL.has(state);

// Trials only move while a job runs, or winds down after a cancel.
const TRIAL_STATES = new Set(['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_UPDATING']);

/**
 * The list filter of a normal cycle: every job not in a terminal state, plus every job created since
 * `createdSince`, so a job that was created and finished between two cycles is still seen.
 * AIP-160 gives OR precedence over AND, hence the parentheses.
 */
export function activeJobsFilter(createdSince: string): string {
  const active = TERMINAL_STATES.map(state => `state!="${state}"`).join(' AND ');
  return `(${active}) OR create_time>="${createdSince}"`;
}

/** Why a job needs a `get` this cycle, most urgent first. */
export type ReadReason = 'left-active-set' | 'finished-listed' | 'sweep-missing' | 'trials-due';

export interface PlannedRead {
  readonly name: string;
  readonly reason: ReadReason;
}

export interface ReadPlan {
  /** Gets to make this cycle, most urgent first, at most the cap. */
  readonly reads: readonly PlannedRead[];
  /** Gets that were due but over the cap; they stay due for the next cycle. */
  readonly deferred: number;
  /**
   * False when some of a sweep's missing jobs were over the cap. Only a sweep finds them (a finished
   * job deleted since has left every other listing), so the sweep is not done until they are read.
   */
  readonly sweepComplete: boolean;
}

/** Plans a cycle's gets: jobs gone from the active set or listed finished, jobs a sweep did not find, then trial refreshes. */
export function planReads(input: {
  listed: readonly NasJobHead[];
  unreadable: ReadonlySet<string>;
  digest: TargetDigest;
  /** Names recorded in the mirror, only on a sweep cycle. */
  recorded?: readonly string[];
  maxReads: number;
}): ReadPlan {
  const listedNames = new Set(input.listed.map(job => job.name));
  const seenSomehow = (name: string) => listedNames.has(name) || input.unreadable.has(name);
  const leftActive = [...input.digest.jobs.values()]
    .filter(entry => !isTerminalStateName(entry.state) && !seenSomehow(entry.name))
    .map(entry => ({name: entry.name, reason: 'left-active-set' as const}));
  // A tracked job can also be listed already finished: by a sweep, or by the create_time window.
  // Without a get its final trials would never be read (trials come only from get).
  const finishedListed = input.listed
    .filter(job => isTerminalStateName(enumName(job.state)) && finalTrialsUnread(input.digest.jobs.get(job.name), job))
    .map(job => ({name: job.name, reason: 'finished-listed' as const}));
  const readAnyway = new Set([...leftActive, ...finishedListed].map(read => read.name));
  const sweepMissing = (input.recorded ?? [])
    .filter(name => !seenSomehow(name) && !readAnyway.has(name))
    .map(name => ({name, reason: 'sweep-missing' as const}));
  const trialsDue = input.listed
    .filter(job => TRIAL_STATES.has(enumName(job.state)) && trialsStale(input.digest.jobs.get(job.name), job))
    .sort((a, b) => readAt(input.digest.jobs.get(a.name)).localeCompare(readAt(input.digest.jobs.get(b.name))))
    .map(job => ({name: job.name, reason: 'trials-due' as const}));
  const all = [...leftActive, ...finishedListed, ...sweepMissing, ...trialsDue];
  const reads = all.slice(0, Math.max(0, input.maxReads));
  const sweepComplete = sweepMissing.every(read => reads.includes(read));
  return {reads, deferred: all.length - reads.length, sweepComplete};
}

/** True when a listed job is new to the digest or changed since it was recorded. */
export function differsFromDigest(entry: Pick<DigestEntry, 'state' | 'updateTime'> | undefined, job: NasJobHead): boolean {
  return !entry || entry.state !== enumName(job.state) || entry.updateTime !== job.updateTime;
}

/**
 * A listed finished job whose final trials nasmon has not read: one it tracked while active, or
 * whose trials it read before. A finished job seen for the first time is not read (a cold start
 * over a long history would spend the quota on jobs nobody watched).
 */
function finalTrialsUnread(entry: DigestEntry | undefined, job: NasJobHead): boolean {
  if (!entry || !trialsStale(entry, job)) return false;
  return !isTerminalStateName(entry.state) || entry.trialsUpdateTime !== undefined;
}

function trialsStale(entry: DigestEntry | undefined, job: NasJobHead): boolean {
  return !entry || entry.trialsUpdateTime !== job.updateTime;
}

// Never-read jobs sort first ('' < any timestamp), then the longest unread.
function readAt(entry: DigestEntry | undefined): string {
  return entry?.trialsReadAt ?? '';
}
