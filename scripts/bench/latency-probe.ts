// Parts of measure-latency: the subscriber that timestamps stateChanged events as they arrive, the
// random schedule of forced transitions, and the summary of the delays between the two.
import type {Message, Subscription} from '@google-cloud/pubsub';
import type {SimAdmin} from './sim-admin.js';

/** One transition the script forced, and when its event arrived (if it did). */
export interface ForcedTransition {
  readonly name: string;
  readonly state: string;
  /** Real ms when the force call was sent, and seconds into the scheduler minute at that moment. */
  readonly forcedAt: number;
  readonly phaseSeconds: number;
  arrivedAt?: number | undefined;
}

/** Records the first arrival of each (job, state) stateChanged event on `subscription`. */
export function collectStateChanges(subscription: Subscription): Map<string, number> {
  const arrivals = new Map<string, number>();
  subscription.on('message', (message: Message) => {
    const at = Date.now();
    const {'ce-type': type, 'ce-nasjob': job, 'ce-state': state} = message.attributes;
    if (type === 'nasmon.nasjob.v1.stateChanged' && job && state && !arrivals.has(`${job}|${state}`)) arrivals.set(`${job}|${state}`, at);
    message.ack();
  });
  return arrivals;
}

const STATES = ['JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'];

/**
 * Forces one transition on each of `names` (each job once, so no force hides another inside one poll
 * interval) at uniformly random times over `spreadMs`. `phaseOf` says where in the scheduler minute a
 * moment falls. Resolves when the last force was sent.
 */
export async function forceAtRandomTimes(
  admin: SimAdmin, names: readonly string[], spreadMs: number, phaseOf: (ms: number) => number, random: () => number,
): Promise<ForcedTransition[]> {
  const start = Date.now();
  const plan = names.map((name, i) => ({name, state: STATES[i % STATES.length]!, at: random() * spreadMs})).sort((a, b) => a.at - b.at);
  const forced: ForcedTransition[] = [];
  for (const step of plan) {
    const wait = start + step.at - Date.now();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    const forcedAt = Date.now();
    await admin.force(step.name, step.state);
    forced.push({name: step.name, state: step.state, forcedAt, phaseSeconds: phaseOf(forcedAt)});
  }
  return forced;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50/p95/max of the detection delays, in seconds, with the count seen and missed. */
export function summarise(forced: readonly ForcedTransition[]) {
  const delays = forced.flatMap(t => (t.arrivedAt === undefined ? [] : [(t.arrivedAt - t.forcedAt) / 1000])).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: delays.length, missed: forced.length - delays.length,
    p50Seconds: round(percentile(delays, 50)), p95Seconds: round(percentile(delays, 95)), maxSeconds: round(delays[delays.length - 1] ?? NaN),
    meanSeconds: round(delays.reduce((sum, d) => sum + d, 0) / Math.max(1, delays.length)),
  };
}

/** The same summary per 10-second slice of the scheduler minute the force fell into. */
export function byPhase(forced: readonly ForcedTransition[]) {
  const slices = new Map<number, ForcedTransition[]>();
  for (const t of forced) {
    const slice = Math.floor(t.phaseSeconds / 10) * 10;
    slices.set(slice, [...(slices.get(slice) ?? []), t]);
  }
  return [...slices].sort((a, b) => a[0] - b[0]).map(([from, items]) => ({phase: `${from}-${from + 10}s`, ...summarise(items)}));
}

// The seeded PRNG (mulberry32) is the local stack's, so a run's schedule can be repeated with --seed.
export {seededRandom} from '../local/seeded-random.js';
