import {formatDuration, type NasJobDraft} from '../vertex/index.js';
import {asRecord, field, stageJobSpec, STAGE_KEYS, stagePath, teamLabelOf} from './job-view.js';
import {applyPatchOp, pointerToField, toPointer, type PatchOp} from './json-patch.js';
import {TEAM_LABEL, type MutationRule, type Policy} from './policy.js';
import {inScope} from './resolve-team.js';
import type {Mutation, Violation} from './verdict.js';

/** What the mutations did to a job: the result, the ops applied, and what audit-mode rules would have done. */
export interface MutationOutcome {
  readonly job: NasJobDraft;
  readonly mutations: Mutation[];
  /** Audit-mode mutations are not applied; each op they would have made is recorded here. */
  readonly audits: Violation[];
  readonly warnings: string[];
}

/** Where the job is being created and who asks. */
export interface MutationContext {
  readonly project: string;
  readonly location: string;
  readonly callerTeam: string | undefined;
}

/**
 * Applies the policy's mutations in file order; each sees the job as the previous ones left it
 * (so `appliesTo.teams` sees a team label set by an earlier team-label mutation).
 */
export function applyMutations(policy: Policy, submitted: NasJobDraft, context: MutationContext): MutationOutcome {
  const outcome: MutationOutcome = {job: submitted, mutations: [], audits: [], warnings: []};
  let job = submitted;
  for (const rule of policy.mutations) {
    if (!inScope(rule.scope, context.project, context.location, teamLabelOf(job))) continue;
    for (const op of opsFor(rule, job, context.callerTeam)) {
      if (rule.mode === 'audit') {
        outcome.audits.push({
          rule: rule.name, mode: 'audit', field: pointerToField(op.path), actual: null, limit: op.value,
          message: `would ${op.op} ${op.path} = ${JSON.stringify(op.value)} (audit mode: not applied)`,
        });
        continue;
      }
      job = applyPatchOp(job, op);
      outcome.mutations.push({rule: rule.name, ...op});
      if (rule.mode === 'warn') outcome.warnings.push(`${rule.name}: ${op.op} ${op.path} = ${JSON.stringify(op.value)}`);
    }
  }
  return {...outcome, job};
}

function opsFor(rule: MutationRule, job: NasJobDraft, callerTeam: string | undefined): PatchOp[] {
  if (!asRecord(job)) return []; // not a job at all: nothing to patch, the rules will fail it
  switch (rule.kind) {
    case 'label':
      return labelOps(job, rule.key, rule.value, rule.overwrite);
    case 'team-label':
      return callerTeam === undefined ? [] : labelOps(job, TEAM_LABEL, callerTeam, rule.overwrite);
    case 'default-trial-timeout':
      return rule.stages.flatMap((stage): PatchOp[] => {
        const jobSpec = stageJobSpec(job, stage);
        if (!jobSpec) return [];
        const base = [...stagePath(stage), STAGE_KEYS[stage].jobSpec, 'scheduling'];
        const timeout = formatDuration(rule.timeoutSeconds);
        if (jobSpec.scheduling === undefined) return [{op: 'add', path: toPointer(base), value: {timeout}}];
        // A scheduling that is not an object is malformed; the gate's body validation rejects it.
        if (!asRecord(jobSpec.scheduling) || field(jobSpec.scheduling, 'timeout') !== undefined) return [];
        return [{op: 'add', path: toPointer([...base, 'timeout']), value: timeout}];
      });
  }
}

function labelOps(job: NasJobDraft, key: string, value: string, overwrite: boolean): PatchOp[] {
  const raw = field(job, 'labels');
  if (raw === undefined) return [{op: 'add', path: toPointer(['labels']), value: {[key]: value}}];
  const labels = asRecord(raw);
  if (!labels) return [];
  if (!Object.hasOwn(labels, key)) return [{op: 'add', path: toPointer(['labels', key]), value}];
  if (labels[key] === value || !overwrite) return [];
  return [{op: 'replace', path: toPointer(['labels', key]), value}];
}
