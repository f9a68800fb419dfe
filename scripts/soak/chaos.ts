// The soak's chaos seam: `--chaos=NAME[,NAME…]` picks named scenarios (issue 7's chaos list). Each one
// starts and stops at set points of the workload and declares the window it was active in. A
// scenario that only makes things late or unreachable (a dead emulator, a crashed function, simulator
// faults) hands its window to the checker, which excuses what could not be seen during it (plus a
// margin) — never a loss, a duplicate or an event without its record. A scenario that should not
// hide anything at all (duplicate and out-of-order delivery, clock skew) declares its window for the
// report only (`excuses: false`): the checker holds nasmon to the full standard throughout.
//
//   sim-faults          the simulator answers nasmon's Vertex calls with 429s (some in runs), 503s,
//                       slow answers, truncated bodies and reset connections, from 35 % to 60 %.
//   firestore-restart   the Firestore emulator is SIGKILLed at 35 % of the workload and started again
//                       on the same address (its data exported before and imported after), clients
//                       shut out for FIRESTORE_DOWN_MS: during poll cycles, gate calls and enforce work.
//   pubsub-restart      the Pub/Sub emulator is SIGKILLed at 35 % and started again, topics and
//                       subscriptions re-created before clients are let back in; the outbox must
//                       catch up. The emulator loses what it had accepted and not delivered (production
//                       Pub/Sub would not), so with every client shut out the soak first takes what its
//                       own subscription still holds, straight from the emulator; the push
//                       subscriptions' undelivered messages (ticks, notify's and enforce's events) are
//                       lost with it. The report still sets apart any record whose event never came.
//   crash-functions     pollTarget, enforce and enforceTick start with crash points armed
//                       (NASMON_CRASH_POINTS, CRASH_PROBABILITIES): each kills its own process
//                       between commit and publish, mid-pagination, around a cancel…; the supervisor
//                       starts a new instance, armed until 60 % of the workload, unarmed after. The
//                       window runs from the start to the last crash (an armed instance can outlive
//                       60 %; replacing it would be a kill of its own).
//   duplicate-delivery  every push subscription (ticks, poll-targets, notify's and enforce's events,
//                       enforce ticks) is delivered by a bridge that sends DELIVERY_CHAOS.duplicateRate
//                       of the messages twice and holds DELIVERY_CHAOS.delayRate back up to
//                       maxDelayMs, so later ones overtake them; for the whole run.
//   clock-skew          the simulator's clock runs SKEW_SECONDS behind the functions' for the whole
//                       run. The checker works on the simulator's clock (the soak converts its windows).
import type {DeliveryChaos} from '../local/push-bridge.js';

/** Every scenario `--chaos` accepts. */
export const CHAOS_SCENARIOS = ['sim-faults', 'firestore-restart', 'pubsub-restart', 'crash-functions', 'duplicate-delivery', 'clock-skew'] as const;
export type ChaosName = (typeof CHAOS_SCENARIOS)[number];

/** When a scenario's faults were active, in epoch milliseconds. */
export interface FaultWindow {
  readonly scenario: ChaosName;
  readonly startMs: number;
  readonly endMs: number;
  /** Whether the checker is told about it (see the top of this file). */
  readonly excuses: boolean;
}

/** What one emulator restart did (restartable-emulator.ts's report, plus when the gate shut). */
export interface EmulatorRestart {
  readonly name: 'firestore' | 'pubsub';
  readonly shutAtMs: number;
  readonly outageMs: number;
  readonly restartMs: number;
  /** Pub/Sub: events the soak's subscription still had to get from the emulator before it was killed. */
  readonly drainedEvents?: number;
}

/** What a scenario can reach. */
export interface ChaosContext {
  readonly simulatorUrl: string;
  readonly say: (line: string) => void;
  /** Kills the emulator and starts it again behind its gate (only when the scenario asked for a restartable one). */
  readonly restartEmulator: (name: 'firestore' | 'pubsub', downMs: number) => Promise<EmulatorRestart>;
  /**
   * Gives the instances of `targets` started from now on `env` on top of the common environment;
   * with `replace`, replaces the running ones at once (SIGTERM, then a new instance).
   */
  readonly rearmFunctions: (targets: readonly string[], env: Readonly<Record<string, string>>, options: {replace: boolean}) => Promise<void>;
}

/** How the stack must be started for a scenario. */
export interface StackNeeds {
  readonly restartable?: ReadonlyArray<'firestore' | 'pubsub'>;
  readonly deliveryChaos?: DeliveryChaos;
  /** Simulated minus real time, in seconds. */
  readonly clockOffsetSeconds?: number;
  /** Extra environment some functions start with, by target. */
  readonly functionEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One named scenario. */
export interface ChaosScenario {
  readonly name: ChaosName;
  readonly description: string;
  /** When it starts and stops, as fractions of the workload's duration. */
  readonly startAt: number;
  readonly stopAt: number;
  readonly excuses: boolean;
  readonly needs?: StackNeeds;
  start(ctx: ChaosContext): Promise<void>;
  /** Undoes `start` (or waits for it to finish); must be safe to call when `start` failed half-way. */
  stop(ctx: ChaosContext): Promise<void>;
  /** What it injected so far, for the report (the run adds counts it reads from logs and bridges). */
  injected?(): Readonly<Record<string, number | string>>;
}

/** The scenario called `name`. */
export function chaosScenario(name: ChaosName): ChaosScenario {
  switch (name) {
    case 'sim-faults': return simFaults();
    case 'firestore-restart': return emulatorRestart('firestore-restart', 'firestore', FIRESTORE_DOWN_MS);
    case 'pubsub-restart': return emulatorRestart('pubsub-restart', 'pubsub', PUBSUB_DOWN_MS);
    case 'crash-functions': return crashFunctions();
    case 'duplicate-delivery': return duplicateDelivery();
    case 'clock-skew': return clockSkew();
  }
}

/** The stack the chosen scenarios need, merged. */
export function stackNeeds(scenarios: readonly ChaosScenario[]): StackNeeds {
  const restartable = [...new Set(scenarios.flatMap(s => s.needs?.restartable ?? []))];
  const delivery = scenarios.find(s => s.needs?.deliveryChaos)?.needs?.deliveryChaos;
  const offset = scenarios.find(s => s.needs?.clockOffsetSeconds !== undefined)?.needs?.clockOffsetSeconds;
  const functionEnv = Object.assign({}, ...scenarios.map(s => s.needs?.functionEnv ?? {})) as Record<string, Record<string, string>>;
  return {
    ...(Object.keys(functionEnv).length ? {functionEnv} : {}),
    ...(restartable.length ? {restartable} : {}), ...(delivery ? {deliveryChaos: delivery} : {}), ...(offset !== undefined ? {clockOffsetSeconds: offset} : {}),
  };
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
    name: 'sim-faults', startAt: 0.35, stopAt: 0.6, excuses: true,
    description: 'simulator faults on Vertex calls: 429 (2 %, and runs of 10 starting at 1 %), 503 (3 %), 700 ms latency (15 %), truncated bodies (2 %), resets (2 %)',
    async start(ctx) {
      for (const rule of SIM_FAULT_RULES) await admin(ctx.simulatorUrl, 'POST', rule);
    },
    async stop(ctx) {
      await admin(ctx.simulatorUrl, 'DELETE');
    },
  };
}

/** How long clients are shut out of a restarted emulator (at least; longer if the restart takes longer): a few poll cycles. */
export const FIRESTORE_DOWN_MS = 6000;
export const PUBSUB_DOWN_MS = 6000;

function emulatorRestart(name: 'firestore-restart' | 'pubsub-restart', emulator: 'firestore' | 'pubsub', downMs: number): ChaosScenario {
  let running: Promise<EmulatorRestart | undefined> | undefined;
  const done: EmulatorRestart[] = [];
  return {
    name, startAt: 0.35, stopAt: 0.36, excuses: true, needs: {restartable: [emulator]},
    description: `the ${emulator} emulator SIGKILLed and started again on the same address, clients shut out for at least ${downMs / 1000} s`,
    async start(ctx) {
      running = ctx.restartEmulator(emulator, downMs).then(
        report => (done.push(report), ctx.say(`chaos ${name}: ${emulator} back after ${(report.outageMs / 1000).toFixed(1)} s (the restart itself ${(report.restartMs / 1000).toFixed(1)} s)`), report),
        (error: unknown) => (ctx.say(`!!! chaos ${name}: the restart failed: ${String(error)}`), undefined),
      );
      await running;
    },
    async stop() {
      await running; // the window ends when clients are let back in
    },
    injected: () => ({
      restarts: done.length,
      ...(done[0] ? {outageSeconds: Math.round(done[0].outageMs / 100) / 10, restartSeconds: Math.round(done[0].restartMs / 100) / 10, shutAt: new Date(done[0].shutAtMs).toISOString()} : {}),
      ...(done[0]?.drainedEvents === undefined ? {} : {drainedEvents: done[0].drainedEvents}),
    }),
  };
}

/**
 * Crash probabilities per point, each time the point is reached. The points are reached at very
 * different rates: a poll commit every cycle with news (2 targets × 30 cycles a minute), a later page
 * only at a sweep or a busy listing, enforce's points only when it acts (a few dozen cancels and
 * warnings a run). Chosen for a handful of crashes a minute, every point a fair chance to fire.
 */
export const CRASH_PROBABILITIES = {
  'poll.midPagination': 0.1,
  'poll.afterCommit': 0.03,
  'poll.afterPublish': 0.03,
  'enforce.afterCommit': 0.1,
  'enforce.beforeCancel': 0.2,
  'enforce.midCancel': 0.2,
} as const;
/** The functions whose code holds crash points. */
export const CRASHING_FUNCTIONS = ['pollTarget', 'enforce', 'enforceTick'] as const;
export const crashPointsEnv = (): string => Object.entries(CRASH_PROBABILITIES).map(([point, p]) => `${point}=${p}`).join(',');

function crashFunctions(): ChaosScenario {
  const env = {NASMON_CRASH_POINTS: crashPointsEnv()};
  return {
    name: 'crash-functions', startAt: 0, stopAt: 0.6, excuses: true,
    needs: {functionEnv: Object.fromEntries(CRASHING_FUNCTIONS.map(target => [target, env]))},
    description: `pollTarget, enforce and enforceTick started with crash points armed (${crashPointsEnv()}); instances started after the window's end are not armed`,
    async start() {},
    async stop(ctx) {
      // Replacing the armed instances would kill a pollTarget session as surely as a crash (its lease
      // stays until it expires): the armed ones stay until they crash, the run moves the window's end
      // to the last crash its logs show.
      await ctx.rearmFunctions(CRASHING_FUNCTIONS, {}, {replace: false});
    },
  };
}

/** The push bridges' misbehaviour under `duplicate-delivery`. */
export const DELIVERY_CHAOS = {duplicateRate: 0.1, delayRate: 0.1, maxDelayMs: 3000} as const;
function duplicateDelivery(): ChaosScenario {
  return {
    name: 'duplicate-delivery', startAt: 0, stopAt: 1, excuses: false, needs: {deliveryChaos: DELIVERY_CHAOS},
    description: `every push subscription through a bridge: ${DELIVERY_CHAOS.duplicateRate * 100} % of messages delivered twice, ${DELIVERY_CHAOS.delayRate * 100} % of deliveries held back up to ${DELIVERY_CHAOS.maxDelayMs / 1000} s (out of order); the whole run, nothing excused`,
    async start() {},
    async stop() {},
  };
}

/** The simulator's clock behind the functions' under `clock-skew` (a Vertex clock behind makes jobs look older to enforce). */
export const SKEW_SECONDS = -20;
function clockSkew(): ChaosScenario {
  return {
    name: 'clock-skew', startAt: 0, stopAt: 1, excuses: false, needs: {clockOffsetSeconds: SKEW_SECONDS},
    description: `the simulator's clock ${Math.abs(SKEW_SECONDS)} s ${SKEW_SECONDS < 0 ? 'behind' : 'ahead of'} the functions' for the whole run, nothing excused`,
    async start() {},
    async stop() {},
    injected: () => ({skewSeconds: SKEW_SECONDS}),
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
  const windows: Array<{scenario: ChaosName; startMs: number; endMs?: number; excuses: boolean}> = [];
  const timers: NodeJS.Timeout[] = [];
  const active = new Set<ChaosScenario>();
  const starting = new Map<ChaosScenario, Promise<void>>();
  const stopOne = async (scenario: ChaosScenario) => {
    if (!active.delete(scenario)) return;
    await starting.get(scenario)?.catch(() => undefined); // a stop never overtakes its start (a replacement in progress)
    await scenario.stop(ctx).catch(error => ctx.say(`!!! chaos ${scenario.name} could not stop cleanly: ${String(error)}`));
    const window = windows.find(w => w.scenario === scenario.name && w.endMs === undefined);
    if (window) window.endMs = Date.now();
    ctx.say(`chaos ${scenario.name} stopped`);
  };
  for (const scenario of scenarios) {
    const at = (fraction: number) => Math.max(0, workloadStartMs + fraction * durationMs - Date.now());
    timers.push(setTimeout(() => {
      active.add(scenario);
      windows.push({scenario: scenario.name, startMs: Date.now(), excuses: scenario.excuses});
      ctx.say(`chaos ${scenario.name} started: ${scenario.description}`);
      starting.set(scenario, scenario.start(ctx).catch(error => ctx.say(`!!! chaos ${scenario.name} could not start: ${String(error)}`)));
    }, at(scenario.startAt)));
    // A scenario that lasts the whole workload is stopped by stopAll at its end.
    if (scenario.stopAt < 1) timers.push(setTimeout(() => void stopOne(scenario), at(scenario.stopAt)));
  }
  return {
    /** Stops whatever is still active (the workload ended, or the soak is stopping). */
    async stopAll(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([...active].map(stopOne));
    },
    windows: (): FaultWindow[] => windows.map(w => ({scenario: w.scenario, startMs: w.startMs, endMs: w.endMs ?? Date.now(), excuses: w.excuses})),
  };
}
