// The policy engine for the gate: pure, no I/O. parsePolicy compiles a file once; the evaluators
// then decide each request from facts the gate gathers. docs/policy.md describes the file format.
export {DEFAULT_TRIAL_TIMEOUT_SECONDS, projectAcceleratorHours, projectAcceleratorHoursByStage} from './accelerator-hours.js';
export type {AcceleratorHours, StageHours} from './accelerator-hours.js';
export {authorize, mayActIn, mayListJob} from './authorize.js';
export type {ActionTarget} from './authorize.js';
export {evaluateAction} from './evaluate-action.js';
export {countsTeamJobs, evaluateCreate} from './evaluate-create.js';
export {applyPatchOp} from './json-patch.js';
export type {PatchOp} from './json-patch.js';
export {ACCESS_RULE} from './parse-context.js';
export {MAX_POLICY_CHARS} from './parse-document.js';
export type {PolicyFormat} from './parse-document.js';
export {parsePolicy} from './parse-policy.js';
export type {PolicySource} from './parse-policy.js';
export {formatProblem, PolicyError} from './policy-error.js';
export type {PolicyProblem} from './policy-error.js';
export {TEAM_LABEL} from './policy.js';
export type {ActionRule, Grant, MutationRule, Policy, SubmissionRule, Team} from './policy.js';
export {resolveTeam} from './resolve-team.js';
export {MAX_MATCH_INPUT, MAX_PATTERN_LENGTH} from './safe-pattern.js';
export * from './verdict.js';
