// Injected faults. A rule fires either for the next `count` matching requests or at random with
// probability `rate` (drawn from the seeded "faults" stream), optionally only for one HTTP method
// and/or paths containing a substring. Latency rules add up; the first other rule that fires wins.
import type {Rng} from '../model/prng.js';

export const FAULT_KINDS = ['unavailable', 'deadline', 'rate-limit', 'latency', 'reset', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  id: number;
  kind: FaultKind;
  rate?: number;
  count?: number;
  method?: string;
  pathContains?: string;
  latencyMs?: number;
  retryDelaySeconds?: number;
  /** deadline/reset only: let the request take effect first, then fail the response. */
  afterEffect?: boolean;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: FaultRule;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly rng: Rng) {}

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    const stored = {...rule, id: this.nextId++};
    this.rules.push(stored);
    return stored;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Decides the faults for one request; consumes counts and random draws of the rules that match. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = {latencyMs: 0};
    for (const rule of [...this.rules]) {
      if (decision.fault && rule.kind !== 'latency') continue;
      if (!matches(rule, method, path) || !this.fires(rule)) continue;
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 0;
      else decision.fault = rule;
    }
    return decision;
  }

  private fires(rule: FaultRule): boolean {
    if (rule.rate !== undefined && !this.rng.chance(rule.rate)) return false;
    if (rule.count !== undefined) {
      rule.count--;
      if (rule.count <= 0) this.rules = this.rules.filter(r => r !== rule);
    }
    return true;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  return rule.pathContains === undefined || path.includes(rule.pathContains);
}
