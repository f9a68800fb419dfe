// Deterministic randomness: every stream is derived from the simulator seed plus a purpose ("ids",
// a job id, "faults"), so one job's draws never shift another's and a seed replays exactly.
import {createHash} from 'node:crypto';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(min: number, max: number): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  /** Standard normal draw (Box–Muller). */
  normal(): number;
  /** A key of `weights`, chosen with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
}

export function createRng(...salts: readonly (string | number)[]): Rng {
  const digest = createHash('sha256').update(salts.join('|')).digest();
  const next = sfc32(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: probability => next() < probability,
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    weighted: weights => pickWeighted(weights, next()),
  };
  return rng;
}

function pickWeighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>, draw: number): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  let point = draw * total;
  for (const [key, weight] of entries) {
    point -= Math.max(0, weight);
    if (point < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('pickWeighted needs at least one weight');
  return last[0];
}

/** Small fast generator with 128 bits of state; quality is ample for simulation. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
