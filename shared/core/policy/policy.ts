import type {NameMatcher} from './name-matcher.js';
import type {NotificationPolicy} from './notification-policy.js';
import type {SafePattern} from './safe-pattern.js';
import type {GateAction, RuleMode} from './verdict.js';

// The compiled policy: everything a request needs is precomputed at load (sets, maps, regexes), so
// evaluating a request does no parsing. docs/policy.md describes the file these come from.

/** The label that names a job's team; the mirror counts active jobs by it. */
export const TEAM_LABEL = 'team';

/** Who a caller matcher or a team's membership covers, with groups already expanded. */
export interface Members {
  readonly emails: ReadonlySet<string>;
  readonly domains: ReadonlySet<string>;
}

/** A team and its members (direct emails and domains plus those of its groups). */
export interface Team {
  readonly name: string;
  readonly members: Members;
}

/** Matches callers: by email, domain, group (expanded into emails and domains) or resolved team. */
export interface CallerMatcher extends Members {
  /** `'*'`: any caller who belongs to some team. */
  readonly teams: ReadonlySet<string> | '*';
}

/** Where a rule applies; each list omitted in the file matches everything. */
export interface Scope {
  readonly projects: NameMatcher;
  readonly locations: NameMatcher;
  /** Team of the job (its `team` label); undefined = any job, with or without a team. */
  readonly teams?: ReadonlySet<string>;
}

/** Which teams' jobs a grant covers. */
export interface TeamTarget {
  readonly any: boolean;
  /** `$own`: the caller's own team. */
  readonly own: boolean;
  readonly names: ReadonlySet<string>;
}

/** An access grant: these callers may do these actions in these projects, locations and teams. Always enforced. */
export interface Grant {
  readonly name: string;
  readonly callers: CallerMatcher;
  readonly actions: ReadonlySet<GateAction>;
  readonly projects: NameMatcher;
  readonly locations: NameMatcher;
  readonly teams: TeamTarget;
}

/** What every named rule has. */
export interface RuleBase {
  readonly name: string;
  readonly mode: RuleMode;
  readonly scope: Scope;
}

/** Trial stages of a NAS job. */
export const STAGES = ['search', 'train'] as const;
export type Stage = (typeof STAGES)[number];

/** A change applied to every create before the submission rules run, in file order. */
export type MutationRule = RuleBase &
  (
    | {readonly kind: 'label'; readonly key: string; readonly value: string; readonly overwrite: boolean}
    | {readonly kind: 'team-label'; readonly overwrite: boolean}
    | {readonly kind: 'default-trial-timeout'; readonly timeoutSeconds: number; readonly stages: readonly Stage[]}
  );

/** Limits on the trial counts of each stage; absent limits are not checked. */
export interface TrialLimits {
  readonly searchMaxTrialCount?: number;
  readonly searchMaxParallelTrialCount?: number;
  readonly searchMaxFailedTrialCount?: number;
  readonly trainMaxParallelTrialCount?: number;
  readonly trainMinFrequency?: number;
}

/** A check on a create, evaluated on the mutated job. */
export type SubmissionRule = RuleBase &
  (
    | {readonly kind: 'regions'; readonly allowed: NameMatcher}
    | {readonly kind: 'machine-types'; readonly allowed: NameMatcher}
    | {readonly kind: 'accelerators'; readonly allowed?: ReadonlySet<string>; readonly maxPerWorker?: number}
    | ({readonly kind: 'trial-counts'} & TrialLimits)
    | {readonly kind: 'labels'; readonly required: readonly string[]; readonly patterns: ReadonlyMap<string, SafePattern>}
    | {readonly kind: 'cmek'; readonly required: boolean; readonly keyPattern?: SafePattern}
    | {readonly kind: 'display-name'; readonly pattern: SafePattern}
    | {readonly kind: 'trial-timeout'; readonly required: boolean; readonly maxSeconds?: number}
    | {readonly kind: 'team-concurrency'; readonly maxActiveJobs: number; readonly perTeam: ReadonlyMap<string, number>}
    | {readonly kind: 'accelerator-hours'; readonly maxPerJob: number}
  );

/** Whose jobs a caller may act on. */
export type JobRelation = 'own' | 'team' | 'any';

/** The actions that action rules govern. */
export type JobAction = 'cancel' | 'delete';

/** A check on a cancel or delete. */
export type ActionRule = RuleBase & {
  readonly actions: ReadonlySet<JobAction>;
  /** Callers the rule does not apply to. */
  readonly exempt?: CallerMatcher;
} & (
    | {readonly kind: 'ownership'; readonly allow: readonly {readonly callers?: CallerMatcher; readonly jobs: JobRelation}[]}
    | {readonly kind: 'protected-label'; readonly key: string; readonly value?: string}
    | {readonly kind: 'terminal-only'}
  );

/** A validated, compiled policy file. */
export interface Policy {
  readonly file: string;
  readonly version: 1;
  /** Teams in file order; team resolution prefers an email match, then file order. */
  readonly teams: readonly Team[];
  /** Email → first team that lists it (directly or through a group). */
  readonly teamByEmail: ReadonlyMap<string, string>;
  /** Domain → first team that lists it (directly or through a group). */
  readonly teamByDomain: ReadonlyMap<string, string>;
  readonly access: readonly Grant[];
  readonly mutations: readonly MutationRule[];
  readonly submissionRules: readonly SubmissionRule[];
  readonly actionRules: readonly ActionRule[];
  /** Where events are notified (the `notifications` section). */
  readonly notifications: NotificationPolicy;
  /** Rules `enforce` applies to waiting and running jobs (no rules when the file has no `runtime:`). */
  readonly runtime: RuntimePolicy;
}

/** What a runtime rule watches. */
export const RUNTIME_RULE_KINDS = ['max-run-time', 'max-queue-time', 'failed-trials', 'no-progress', 'projected-overrun'] as const;
export type RuntimeRuleKind = (typeof RUNTIME_RULE_KINDS)[number];

/** Which jobs a runtime rule watches; every part left out matches every job. */
export interface RuntimeSelector {
  readonly projects: NameMatcher;
  readonly locations: NameMatcher;
  readonly teams?: ReadonlySet<string>;
  /** Label key → the value it must have, or `*` for any value. */
  readonly labels: ReadonlyMap<string, string>;
}

/** A per-job limit taken from a label, kept within the bounds the policy allows. */
export interface LimitOverride {
  readonly label: string;
  readonly minSeconds?: number;
  readonly maxSeconds: number;
}

/** A runtime rule with a time limit; `projected-overrun` also needs enough finished trials to project from. */
export interface TimedRuntimeRule {
  readonly kind: 'max-run-time' | 'max-queue-time' | 'no-progress' | 'projected-overrun';
  readonly limitSeconds: number;
  readonly override?: LimitOverride;
  readonly minFinishedTrials: number;
}

/** A runtime rule on failed (INFEASIBLE) search trials; at least one limit is set. */
export interface FailedTrialsRule {
  readonly kind: 'failed-trials';
  /** Failed ÷ finished search trials, checked once `minFinishedTrials` have finished. */
  readonly maxFailedShare?: number;
  readonly maxFailedCount?: number;
  /** A fraction of the job's own `maxFailedTrialCount`, where it sets one. */
  readonly ofMaxFailedTrialCount?: number;
  readonly minFinishedTrials: number;
}

/**
 * A rule `enforce` applies while a job waits or runs. Modes: `enforce` warns at each `warnAt` and
 * cancels at the limit; `warn` also warns at the limit instead of cancelling; `audit` only writes the
 * audit trail. `dryRun` publishes what would happen (`dryRun: true`) and cancels nothing.
 */
export type RuntimeRule = Omit<RuleBase, 'scope'> & {
  readonly appliesTo: RuntimeSelector;
  /** Fractions of the limit in (0, 1), ascending. */
  readonly warnAt: readonly number[];
  readonly dryRun: boolean;
} & (TimedRuntimeRule | FailedTrialsRule);

/** The `runtime:` section, compiled. */
export interface RuntimePolicy {
  readonly rules: readonly RuntimeRule[];
  /** Every rule only reports. */
  readonly dryRun: boolean;
  /** A job with this label is left alone: value `true` or `all` for every rule, or one rule's name. */
  readonly exemptLabel: string;
  /** A cancel not yet confirmed is sent again this long after the last one. */
  readonly reissueCancelAfterSeconds: number;
  /** A cancel not confirmed this long after the first one is reported `cancel-failed`. */
  readonly cancelTimeoutSeconds: number;
  /** Differs whenever the section's content does, so jobs evaluated under older rules are re-evaluated. */
  readonly fingerprint: string;
}
