import type {Mutation, RuleMode, Verdict, Violation} from './verdict.js';

const MODE_ORDER: Readonly<Record<RuleMode, number>> = {enforce: 0, warn: 1, audit: 2};

/** The parts a verdict is made of, before ordering. */
export interface VerdictParts {
  readonly violations: readonly Violation[];
  /** Warnings that are not violations (from warn-mode mutations). */
  readonly notes: readonly string[];
  readonly mutations: readonly Mutation[];
  readonly team: string | undefined;
}

/**
 * Orders violations enforce, warn, audit (file order within each), derives the warnings, and allows
 * the request unless an enforce rule failed.
 */
export function assembleVerdict(parts: VerdictParts, extra: Partial<Pick<Verdict, 'job' | 'projectedAcceleratorHours' | 'teamLimit'>> = {}): Verdict {
  const violations = [...parts.violations].sort((a, b) => MODE_ORDER[a.mode] - MODE_ORDER[b.mode]);
  const warnings = [...parts.notes, ...violations.filter(v => v.mode === 'warn').map(v => `${v.rule}: ${v.message}`)];
  return {
    allowed: !violations.some(v => v.mode === 'enforce'),
    violations,
    warnings,
    mutations: parts.mutations,
    ...(parts.team === undefined ? {} : {team: parts.team}),
    ...extra,
  };
}

/** A verdict that stops at the access check: nothing else is evaluated or revealed. */
export function deniedVerdict(violation: Violation, team: string | undefined): Verdict {
  return assembleVerdict({violations: [violation], notes: [], mutations: [], team});
}
