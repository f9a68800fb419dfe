// Injected faults. A rule fires either for the next `count` matching requests or at random with
// probability `rate` (drawn from the seeded "faults" stream), optionally only for one HTTP method
// and/or paths containing a substring. Latency rules add up; the first other rule that fires wins.
// A rule with `burst` keeps firing for that many matching requests in a row once it fires, as a
// real quota or an overloaded front end fails a run of calls rather than one call here and there.
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
  /** Once the rule fires, it fires for this many matching requests in a row (itself included). */
  burst?: number;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: FaultRule;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];
  private nextId = 1;
  /** Requests still owed to a burst that has started, by rule. */
  private readonly burstLeft = new Map<FaultRule, number>();

  constructor(private readonly rng: Rng) {}

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    const stored = {...rule, id: this.nextId++};
    this.rules.push(stored);
    return stored;
  }

  clear(): void {
    this.rules = [];
    this.burstLeft.clear();
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
    const owed = this.burstLeft.get(rule) ?? 0;
    if (owed > 0) this.burstLeft.set(rule, owed - 1); // within a burst: no draw
    else if (rule.rate !== undefined && !this.rng.chance(rule.rate)) return false;
    else if (rule.burst !== undefined && rule.burst > 1) this.burstLeft.set(rule, rule.burst - 1);
    if (rule.count !== undefined) {
      rule.count--;
      if (rule.count <= 0) {
        this.rules = this.rules.filter(r => r !== rule);
        this.burstLeft.delete(rule);
      }
    }
    return true;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
  return rule.pathContains === undefined || path.includes(rule.pathContains);
}
