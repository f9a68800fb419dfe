// The soak's chaos seam: `--chaos=NAME[,NAME…]` picks named scenarios. Each one starts and stops at
// set points of the workload and declares the window it was active in, which the checker is told
// about (a fault window widens what it tolerates in timing, never what it tolerates in delivery).
//
// Implemented: `sim-faults`. The simulator answers nasmon's Vertex calls with 429s (some of them in
// runs, as a quota that has run dry), 503s, slow answers, truncated bodies and reset connections, then stops.
// A scenario that needs the stack started differently (crash points in the functions, a
// duplicating push bridge, a restartable emulator) adds a `functionEnv` or uses `ctx`'s handles.

/** Every scenario `--chaos` accepts. */
export const CHAOS_SCENARIOS = ['sim-faults'] as const;
export type ChaosName = (typeof CHAOS_SCENARIOS)[number];

/** When a scenario's faults were active, in epoch milliseconds. */
export interface FaultWindow {
  readonly scenario: ChaosName;
  readonly startMs: number;
  readonly endMs: number;
}

/** What a scenario can reach. */
export interface ChaosContext {
  readonly simulatorUrl: string;
  readonly say: (line: string) => void;
}

/** One named scenario. */
export interface ChaosScenario {
  readonly name: ChaosName;
  readonly description: string;
  /** When it starts and stops, as fractions of the workload's duration. */
  readonly startAt: number;
  readonly stopAt: number;
  /** Extra environment for every function process (none yet). */
  readonly functionEnv?: Readonly<Record<string, string>>;
  start(ctx: ChaosContext): Promise<void>;
  /** Undoes `start`; must be safe to call when `start` failed half-way. */
  stop(ctx: ChaosContext): Promise<void>;
}

/** The scenario called `name`. */
export function chaosScenario(name: ChaosName): ChaosScenario {
  switch (name) {
    case 'sim-faults': return simFaults();
  }
}

/** The simulator's fault rules of `sim-faults`, for every Vertex call (admin calls are never faulted). */
export const SIM_FAULT_RULES = [
  {kind: 'rate-limit', rate: 0.02, retryDelaySeconds: 2},
  {kind: 'rate-limit', rate: 0.01, burst: 10, retryDelaySeconds: 3},
  {kind: 'unavailable', rate: 0.03},
  {kind: 'latency', rate: 0.15, latencyMs: 700},
  {kind: 'truncate', rate: 0.02},
  {kind: 'reset', rate: 0.02},
] as const;
function simFaults(): ChaosScenario {
  return {
    name: 'sim-faults', startAt: 0.35, stopAt: 0.6,
    description: 'simulator faults on Vertex calls: 429 (2 %, and runs of 10 starting at 1 %), 503 (3 %), 700 ms latency (15 %), truncated bodies (2 %), resets (2 %)',
    async start(ctx) {
      for (const rule of SIM_FAULT_RULES) await admin(ctx.simulatorUrl, 'POST', rule);
    },
    async stop(ctx) {
      await admin(ctx.simulatorUrl, 'DELETE');
    },
  };
}

async function admin(simulatorUrl: string, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${simulatorUrl}/simulator/faults`, {
    method, headers: {'content-type': 'application/json'}, ...(body === undefined ? {} : {body: JSON.stringify(body)}),
  });
  if (!response.ok) throw new Error(`simulator ${method} /simulator/faults: ${response.status} ${await response.text()}`);
}

/** Runs the scenarios on the workload's clock; `windows()` says when each was active. */
export function scheduleChaos(scenarios: readonly ChaosScenario[], ctx: ChaosContext, workloadStartMs: number, durationMs: number) {
  const windows: Array<{scenario: ChaosName; startMs: number; endMs?: number}> = [];
  const timers: NodeJS.Timeout[] = [];
  const active = new Set<ChaosScenario>();
  const stopOne = async (scenario: ChaosScenario) => {
    if (!active.delete(scenario)) return;
    await scenario.stop(ctx).catch(error => ctx.say(`!!! chaos ${scenario.name} could not stop cleanly: ${String(error)}`));
    const window = windows.find(w => w.scenario === scenario.name && w.endMs === undefined);
    if (window) window.endMs = Date.now();
    ctx.say(`chaos ${scenario.name} stopped`);
  };
  for (const scenario of scenarios) {
    const at = (fraction: number) => Math.max(0, workloadStartMs + fraction * durationMs - Date.now());
    timers.push(setTimeout(() => {
      active.add(scenario);
      windows.push({scenario: scenario.name, startMs: Date.now()});
      ctx.say(`chaos ${scenario.name} started: ${scenario.description}`);
      scenario.start(ctx).catch(error => ctx.say(`!!! chaos ${scenario.name} could not start: ${String(error)}`));
    }, at(scenario.startAt)));
    timers.push(setTimeout(() => void stopOne(scenario), at(scenario.stopAt)));
  }
  return {
    /** Stops whatever is still active (the workload ended early, or the soak is stopping). */
    async stopAll(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([...active].map(stopOne));
    },
    windows: (): FaultWindow[] => windows.map(w => ({scenario: w.scenario, startMs: w.startMs, endMs: w.endMs ?? Date.now()})),
  };
}
