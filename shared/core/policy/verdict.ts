import type {NasJobDraft} from '../vertex/index.js';

// The contract between the policy engine and the HTTP gate. The engine is pure: the gate gathers
// the facts (caller, target, job, counts from the mirror), the engine returns a verdict.

/** What a rule does when it fails: block, allow with a warning, or only record. */
export type RuleMode = 'enforce' | 'warn' | 'audit';

/** The gate's actions on NAS jobs. */
export const GATE_ACTIONS = ['create', 'cancel', 'delete', 'get', 'list'] as const;
export type GateAction = (typeof GATE_ACTIONS)[number];

/** The verified identity of a caller, as the token says it, with what the policy file adds. */
export interface Caller {
  readonly email: string;
}

/** One rule that did not hold. */
export interface Violation {
  /** The rule's name as written in the policy file, e.g. `allowed-regions`. */
  readonly rule: string;
  readonly mode: RuleMode;
  /** JSON path in the request, e.g. `nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec.maxTrialCount`. */
  readonly field: string;
  readonly actual: unknown;
  readonly limit: unknown;
  readonly message: string;
}

/** One change the policy made to a submitted job; reported, never silent. */
export interface Mutation {
  readonly rule: string;
  /** JSON Patch (RFC 6902) operation on the submitted job. */
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/** The outcome of evaluating one request. */
export interface Verdict {
  /** False when any `enforce` rule failed, or the caller may not do this at all. */
  readonly allowed: boolean;
  /** Failed `enforce` rules (these deny), then `warn` and `audit` ones. */
  readonly violations: readonly Violation[];
  /** Human-readable lines for failed `warn` rules, also in the response. */
  readonly warnings: readonly string[];
  readonly mutations: readonly Mutation[];
  /** The job as it would be created, mutations applied (create only). */
  readonly job?: NasJobDraft;
  /** Accelerator-hours the job could use at most (create only). */
  readonly projectedAcceleratorHours?: number;
  /** The caller's team as the policy resolves it, when any. */
  readonly team?: string;
  /**
   * The tightest enforced `team-concurrency` limit on this create (create only). The verdict counted
   * the mirror; the gate re-checks the limit atomically when it reserves the team's slot, since
   * concurrent creates can race past a count.
   */
  readonly teamLimit?: TeamLimit;
}

/** A per-team concurrency limit the gate must hold atomically. */
export interface TeamLimit {
  /** The job's `team` label. */
  readonly team: string;
  readonly maxActiveJobs: number;
  readonly rule: string;
}

/** Facts about the target the gate reads from the mirror before evaluating a create. */
export interface CreateFacts {
  readonly caller: Caller;
  readonly project: string;
  readonly location: string;
  readonly job: NasJobDraft;
  /** Active (non-terminal) jobs per team label in the mirror, across all targets. */
  readonly activeJobsByTeam: Readonly<Record<string, number>>;
}

/** Facts for cancel or delete: the job as the mirror (or Vertex) knows it. */
export interface ActionFacts {
  readonly caller: Caller;
  readonly action: 'cancel' | 'delete';
  readonly project: string;
  readonly location: string;
  readonly jobState: string;
  readonly jobLabels: Readonly<Record<string, string>>;
  /** Who created it through the gate, when known (the audit trail). */
  readonly createdBy?: string;
}
