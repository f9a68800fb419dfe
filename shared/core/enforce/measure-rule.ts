import type {FailedTrialsRule, RuntimeRule, TimedRuntimeRule} from '../policy/policy.js';
import type {JobFacts} from './job-facts.js';
import {formatSeconds, resolveLimit, type ResolvedLimit} from './rule-scope.js';
import {median} from './trial-log.js';

// How far a job has gone towards one rule's limit, as a ratio (1 = the limit), and when it will
// reach a given fraction if nothing else changes. Time moves every rule but failed-trials; trial
// events move failed-trials, no-progress and projected-overrun, and re-evaluate the job then.

/** One rule's reading of one job. */
export type Measurement =
  | {
      readonly kind: 'measured';
      readonly ratio: number;
      /** What was seen against what is allowed, for people. */
      readonly reason: string;
      readonly limit?: ResolvedLimit;
      /** When the ratio reaches `fraction` if only time passes; undefined when time alone cannot. */
      readonly reachesAtMs?: (fraction: number) => number;
    }
  | {readonly kind: 'inapplicable'}
  | {readonly kind: 'skipped'; readonly field: string; readonly reason: string};

const RUNNING = new Set(['JOB_STATE_RUNNING', 'JOB_STATE_UPDATING']);
const WAITING = new Set(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING']);
const INAPPLICABLE: Measurement = {kind: 'inapplicable'};

/** Measures `facts` against `rule` at `nowMs`. */
export function measureRule(rule: RuntimeRule, facts: JobFacts, nowMs: number): Measurement {
  if (rule.kind === 'failed-trials') return RUNNING.has(facts.state) ? measureFailedTrials(rule, facts) : INAPPLICABLE;
  const limit = resolveLimit(rule.limitSeconds, rule.override, facts.labels);
  if (rule.kind === 'max-queue-time') {
    if (!WAITING.has(facts.state)) return INAPPLICABLE;
    if (facts.createMs === undefined) return missing(facts, 'job.createTime');
    return elapsedSince(facts.createMs, nowMs, limit, 'waiting');
  }
  if (!RUNNING.has(facts.state)) return INAPPLICABLE;
  if (facts.startMs === undefined) return missing(facts, 'job.startTime');
  if (rule.kind === 'max-run-time') return elapsedSince(facts.startMs, nowMs, limit, 'running');
  if (rule.kind === 'no-progress') {
    const since = Math.max(facts.startMs, facts.lastProgressMs ?? facts.startMs);
    return elapsedSince(since, nowMs, limit, facts.lastProgressMs === undefined ? 'running with no trial finished' : 'no trial finished');
  }
  return measureProjection(rule, facts, facts.startMs, nowMs, limit);
}

function missing(facts: JobFacts, field: string): Measurement {
  const problem = facts.problems.find(p => p.field === field);
  return {kind: 'skipped', field, reason: problem?.reason ?? 'missing'};
}

function elapsedSince(sinceMs: number, nowMs: number, limit: ResolvedLimit, doing: string): Measurement {
  const elapsed = Math.max(0, nowMs - sinceMs) / 1000;
  const ratio = elapsed / limit.seconds;
  return {
    kind: 'measured', ratio, limit,
    reason: `${doing} for ${formatSeconds(elapsed)} of a ${formatSeconds(limit.seconds)} limit (${percent(ratio)})${note(limit)}`,
    reachesAtMs: fraction => sinceMs + fraction * limit.seconds * 1000,
  };
}

// Finish = now + ceil(remaining ÷ parallel) waves × median trial time. Whole waves: the last trials
// take a full trial time however few they are. Running trials count as remaining, which errs long
// by at most one wave.
function measureProjection(rule: TimedRuntimeRule, facts: JobFacts, startMs: number, nowMs: number, limit: ResolvedLimit): Measurement {
  const {maxTrialCount, maxParallelTrialCount, finished, durations} = facts.search;
  const typical = median(durations);
  if (!maxTrialCount || typical === undefined || durations.length < rule.minFinishedTrials) return INAPPLICABLE;
  const remaining = Math.max(0, maxTrialCount - finished);
  const parallel = Math.max(1, maxParallelTrialCount ?? 1);
  const restMs = Math.ceil(remaining / parallel) * typical * 1000;
  const totalSeconds = (Math.max(0, nowMs - startMs) + restMs) / 1000;
  const ratio = totalSeconds / limit.seconds;
  return {
    kind: 'measured', ratio, limit,
    reason: `projected to run ${formatSeconds(totalSeconds)} against a ${formatSeconds(limit.seconds)} limit (${percent(ratio)}): ` +
      `${remaining} trials left ÷ ${parallel} in parallel × median trial ${formatSeconds(typical)}${note(limit)}`,
    reachesAtMs: fraction => startMs + fraction * limit.seconds * 1000 - restMs,
  };
}

function measureFailedTrials(rule: FailedTrialsRule, facts: JobFacts): Measurement {
  const {failed, finished, maxFailedTrialCount} = facts.search;
  const readings: Array<{ratio: number; says: string}> = [];
  if (rule.maxFailedShare !== undefined && finished >= rule.minFinishedTrials && finished > 0) {
    readings.push({ratio: failed / finished / rule.maxFailedShare, says: `${percent(failed / finished)} of ${finished} finished search trials failed (limit ${percent(rule.maxFailedShare)})`});
  }
  if (rule.maxFailedCount !== undefined) {
    readings.push({ratio: failed / rule.maxFailedCount, says: `${failed} search trials failed (limit ${rule.maxFailedCount})`});
  }
  if (rule.ofMaxFailedTrialCount !== undefined && maxFailedTrialCount) {
    const allowed = rule.ofMaxFailedTrialCount * maxFailedTrialCount;
    readings.push({ratio: failed / allowed, says: `${failed} search trials failed of the job's maxFailedTrialCount ${maxFailedTrialCount} (limit ${percent(rule.ofMaxFailedTrialCount)} of it)`});
  }
  if (readings.length === 0) return INAPPLICABLE;
  const worst = readings.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {kind: 'measured', ratio: worst.ratio, reason: worst.says};
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function note(limit: ResolvedLimit): string {
  if (limit.note) return `; ${limit.note}`;
  return limit.source === 'label' ? '; limit set by the job\'s label' : '';
}
