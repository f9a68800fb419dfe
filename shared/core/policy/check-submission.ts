import {parseDurationSeconds, type NasJobDraft} from '../vertex/index.js';
import type {AcceleratorHours} from './accelerator-hours.js';
import {field, labelsOf, stageJobSpec, stagePath, stageSpec, STAGE_KEYS, toCount, workerPools} from './job-view.js';
import {matchesName} from './name-matcher.js';
import {STAGES, type SubmissionRule, type TrialLimits} from './policy.js';
import {FIELD_LIMITS, matchesPattern} from './safe-pattern.js';
import {clip} from './schema-reader.js';

/** A failed check before the rule's name and mode are attached. */
export type Finding = {readonly field: string; readonly actual: unknown; readonly limit: unknown; readonly message: string};

/** What a submission rule looks at: the mutated job and the facts around it. */
export interface SubmissionFacts {
  readonly location: string;
  readonly job: NasJobDraft;
  readonly jobTeam: string | undefined;
  readonly activeJobsByTeam: Readonly<Record<string, number>>;
  readonly hours: AcceleratorHours;
}

/** Checks one submission rule; returns every place where the job breaks it. */
export function checkSubmissionRule(rule: SubmissionRule, facts: SubmissionFacts): Finding[] {
  const {job} = facts;
  switch (rule.kind) {
    case 'regions':
      return matchesName(rule.allowed, facts.location)
        ? []
        : [{field: 'location', actual: facts.location, limit: rule.allowed.written, message: `location ${facts.location} is not allowed (allowed: ${rule.allowed.written.join(', ')})`}];
    case 'machine-types':
      return workerPools(job).flatMap(pool => typeof pool.machineType === 'string' && matchesName(rule.allowed, pool.machineType)
        ? []
        : [{field: `${pool.path}.machineSpec.machineType`, actual: pool.machineType ?? null, limit: rule.allowed.written,
          message: `machine type ${String(pool.machineType)} is not allowed (allowed: ${rule.allowed.written.join(', ')})`}]);
    case 'accelerators':
      return workerPools(job).flatMap(pool => {
        if (pool.acceleratorType === undefined) return [];
        const found: Finding[] = [];
        if (rule.allowed && !rule.allowed.has(pool.acceleratorType)) {
          found.push({field: `${pool.path}.machineSpec.acceleratorType`, actual: pool.acceleratorType, limit: [...rule.allowed],
            message: `accelerator ${pool.acceleratorType} is not allowed (allowed: ${[...rule.allowed].join(', ') || 'none'})`});
        }
        const count = pool.acceleratorCount === undefined ? 1 : toCount(pool.acceleratorCount);
        if (rule.maxPerWorker !== undefined && !(count <= rule.maxPerWorker)) {
          found.push({field: `${pool.path}.machineSpec.acceleratorCount`, actual: pool.acceleratorCount ?? 1, limit: rule.maxPerWorker,
            message: `${String(pool.acceleratorCount)} accelerators per worker exceeds ${rule.maxPerWorker}`});
        }
        return found;
      });
    case 'trial-counts':
      return checkTrialCounts(rule, job);
    case 'labels': {
      const labels = labelsOf(job);
      const missing = rule.required.filter(key => !Object.hasOwn(labels, key)).map(key => ({
        field: `labels.${key}`, actual: null, limit: 'required', message: `label ${key} is required`}));
      const mismatched = [...rule.patterns].filter(([key, pattern]) => Object.hasOwn(labels, key) && !matchesPattern(pattern, labels[key]!, FIELD_LIMITS.labelValue))
        .map(([key, pattern]) => ({field: `labels.${key}`, actual: labels[key], limit: pattern.source,
          message: `label ${key}="${clip(labels[key]!)}" does not match ${pattern.source}`}));
      return [...missing, ...mismatched];
    }
    case 'cmek': {
      const key = field(field(job, 'encryptionSpec'), 'kmsKeyName');
      if (typeof key !== 'string' || key === '') {
        return rule.required ? [{field: 'encryptionSpec.kmsKeyName', actual: key ?? null, limit: 'required', message: 'a CMEK key (encryptionSpec.kmsKeyName) is required'}] : [];
      }
      return rule.keyPattern && !matchesPattern(rule.keyPattern, key, FIELD_LIMITS.kmsKeyName)
        ? [{field: 'encryptionSpec.kmsKeyName', actual: key, limit: rule.keyPattern.source, message: `CMEK key ${clip(key, 300)} does not match ${rule.keyPattern.source}`}]
        : [];
    }
    case 'display-name': {
      const name = field(job, 'displayName');
      return typeof name === 'string' && matchesPattern(rule.pattern, name, FIELD_LIMITS.displayName)
        ? []
        : [{field: 'displayName', actual: name ?? null, limit: rule.pattern.source, message: `display name ${clip(JSON.stringify(name) ?? 'absent')} does not match ${rule.pattern.source}`}];
    }
    case 'trial-timeout':
      return STAGES.flatMap((stage): Finding[] => {
        const jobSpec = stageJobSpec(job, stage);
        if (!jobSpec) return [];
        const at = `${[...stagePath(stage), STAGE_KEYS[stage].jobSpec].join('.')}.scheduling.timeout`;
        const timeout = field(field(jobSpec, 'scheduling'), 'timeout');
        if (timeout === undefined) return rule.required ? [{field: at, actual: null, limit: 'required', message: `${stage} trials need a timeout (scheduling.timeout)`}] : [];
        const seconds = typeof timeout === 'string' ? parseDurationSeconds(timeout) : undefined;
        if (seconds !== undefined && (rule.maxSeconds === undefined || seconds <= rule.maxSeconds)) return [];
        return [{field: at, actual: timeout, limit: rule.maxSeconds === undefined ? 'a duration' : `${rule.maxSeconds}s`,
          message: seconds === undefined ? `${stage} trial timeout ${JSON.stringify(timeout)} is not a duration` : `${stage} trial timeout ${timeout} exceeds ${rule.maxSeconds}s`}];
      });
    case 'team-concurrency': {
      // Without a team label there is nothing to count against; require the label with a `labels` rule.
      if (facts.jobTeam === undefined) return [];
      const limit = rule.perTeam.get(facts.jobTeam) ?? rule.maxActiveJobs;
      const active = activeJobs(facts.activeJobsByTeam, facts.jobTeam);
      return active + 1 <= limit ? [] : [{field: 'labels.team', actual: active, limit,
        message: `team ${facts.jobTeam} has ${active} active jobs; the limit is ${limit}`}];
    }
    case 'accelerator-hours': {
      const total = facts.hours.total;
      if (total <= rule.maxPerJob) return [];
      return [{field: 'nasJobSpec.multiTrialAlgorithmSpec', actual: Number.isNaN(total) ? null : total, limit: rule.maxPerJob,
        message: Number.isNaN(total)
          ? 'projected accelerator-hours cannot be computed (a count or timeout is not a number)'
          : `projected ${round(total)} accelerator-hours exceeds ${rule.maxPerJob}`}];
    }
  }
}

/** The mirror's count of a team's active jobs; anything but a non-negative number counts as 0. */
export function activeJobs(counts: Readonly<Record<string, number>>, team: string): number {
  const count = Object.hasOwn(counts, team) ? counts[team] : undefined;
  return typeof count === 'number' && count >= 0 ? count : 0;
}

const TRIAL_LIMITS: readonly [keyof TrialLimits, 'search' | 'train', string, 'max' | 'min'][] = [
  ['searchMaxTrialCount', 'search', 'maxTrialCount', 'max'],
  ['searchMaxParallelTrialCount', 'search', 'maxParallelTrialCount', 'max'],
  ['searchMaxFailedTrialCount', 'search', 'maxFailedTrialCount', 'max'],
  ['trainMaxParallelTrialCount', 'train', 'maxParallelTrialCount', 'max'],
  ['trainMinFrequency', 'train', 'frequency', 'min'],
];

function checkTrialCounts(rule: TrialLimits, job: NasJobDraft): Finding[] {
  return TRIAL_LIMITS.flatMap(([limitKey, stage, countKey, kind]) => {
    const limit = rule[limitKey];
    const spec = stageSpec(job, stage);
    if (limit === undefined || !spec) return [];
    const raw = spec[countKey];
    const count = raw === undefined ? 0 : toCount(raw); // proto3: an omitted count is 0
    if (kind === 'max' ? count <= limit : count >= limit) return [];
    const relation = kind === 'max' ? 'exceeds the maximum' : 'is below the minimum';
    return [{field: `${stagePath(stage).join('.')}.${countKey}`, actual: raw ?? 0, limit, message: `${stage} ${countKey} ${String(raw ?? 0)} ${relation} ${limit}`}];
  });
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
