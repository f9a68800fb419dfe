import {EMPTY_ENFORCE_STATE, isExempt, jobFactsOf, resolveLimit, selects, sourceOfRecord} from '../enforce/index.js';
import type {RuntimePolicy} from '../policy/policy.js';
import {parseTimestampMs} from '../vertex/index.js';
import type {DashboardJob} from './dashboard-inputs.js';

// How long a job has waited or run, against the limit the runtime rules give it. The limit is found
// exactly as enforce finds it (selectors, exemption label, per-job override label), so the dashboard
// never shows a limit enforce would not apply.

/** The limit of one rule over one job. */
export interface LimitView {
  readonly rule: string;
  readonly seconds: number;
  /** `label`: the job asked for its own limit within the policy's bounds. */
  readonly source: 'policy' | 'label';
  /** Elapsed ÷ limit; 1 is the limit. */
  readonly ratio: number;
  /** False when the rule only warns, reports (dry run) or audits: reaching the limit cancels nothing. */
  readonly cancels: boolean;
}

/** Time in the queue (before `startTime`) or running (since it), with the binding limit if any. */
export interface RuntimeView {
  readonly phase: 'queue' | 'run';
  readonly seconds: number;
  readonly limit?: LimitView;
}

const WAITING = new Set(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING']);

/** The job's queue or run time at `nowMs`; undefined when its timestamps do not tell. */
export function runtimeOf(job: DashboardJob, policy: RuntimePolicy | undefined, nowMs: number): RuntimeView | undefined {
  const {record} = job;
  const time = (text: string | undefined) => (text === undefined ? undefined : parseTimestampMs(text));
  const [createMs, startMs, endMs] = [time(record.job.createTime), time(record.job.startTime), time(record.job.endTime)];
  // A finished job's clock stopped at its end (or when nasmon saw it end, where Vertex gave no end).
  const stopMs = WAITING.has(record.state) || record.state === 'JOB_STATE_RUNNING' ? nowMs : (endMs ?? time(record.stateSince) ?? nowMs);
  const phase = startMs === undefined ? 'queue' : 'run';
  const since = startMs ?? createMs;
  if (since === undefined) return undefined;
  const seconds = Math.max(0, stopMs - since) / 1000;
  const limit = policy && bindingLimit(job, policy, phase === 'run' ? 'max-run-time' : 'max-queue-time', seconds);
  return limit ? {phase, seconds, limit} : {phase, seconds};
}

// The tightest limit among the rules of `kind` that watch the job: the one that acts first.
function bindingLimit(job: DashboardJob, policy: RuntimePolicy, kind: 'max-run-time' | 'max-queue-time', seconds: number): LimitView | undefined {
  const facts = jobFactsOf(sourceOfRecord(job.record, job.project), EMPTY_ENFORCE_STATE);
  let best: LimitView | undefined;
  for (const rule of policy.rules) {
    if (rule.kind !== kind || !selects(rule.appliesTo, facts) || isExempt(policy.exemptLabel, rule, facts)) continue;
    const limit = resolveLimit(rule.limitSeconds, rule.override, facts.labels);
    if (best && best.seconds <= limit.seconds) continue;
    best = {
      rule: rule.name, seconds: limit.seconds, source: limit.source, ratio: seconds / limit.seconds,
      cancels: rule.mode === 'enforce' && !rule.dryRun && !policy.dryRun,
    };
  }
  return best;
}
