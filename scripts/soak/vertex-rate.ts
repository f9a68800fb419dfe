// Vertex calls per minute per target, from the simulator's request counters (GET /simulator/stats,
// which counts only the REST surface: the soak's admin calls never show there, so every call
// counted is nasmon's). Sampled every few seconds, so the busiest 60 s window can be told apart from
// the mean. Reads and writes are the two quota buckets (simulator/README.md, "Request quotas").

interface StatsSnapshot {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly byTarget: Record<string, Record<string, number>>;
}

const WRITES = new Set(['nasJobs.create', 'nasJobs.delete']);

/** One target's calls against its budget. */
export interface TargetRate {
  readonly target: string;
  readonly reads: number;
  readonly writes: number;
  readonly readsPerMinute: number;
  readonly writesPerMinute: number;
  /** The most reads in any 60 s window between two samples. */
  readonly peakReadsPerMinute: number;
  readonly peakWritesPerMinute: number;
  readonly byMethod: Record<string, number>;
}

/** Polls the stats every `everyMs` from now on. */
export function startVertexRateSampler(simulatorUrl: string, everyMs = 5000) {
  const samples: Array<{atMs: number; stats: StatsSnapshot}> = [];
  const sample = async () => {
    try {
      const response = await fetch(`${simulatorUrl}/simulator/stats`, {signal: AbortSignal.timeout(5000)});
      if (response.ok) samples.push({atMs: Date.now(), stats: (await response.json()) as StatsSnapshot});
    } catch {
      // the next sample will do
    }
  };
  const timer = setInterval(() => void sample(), everyMs);
  return {
    ready: sample(),
    async stop(): Promise<void> {
      clearInterval(timer);
      await sample();
    },
    /** Per target, between the first and the last sample. */
    rates(targets: readonly string[]): {minutes: number; targets: TargetRate[]; status429: number; status5xx: number; resets: number; total: number} {
      const first = samples[0];
      const last = samples.at(-1);
      if (!first || !last || last === first) return {minutes: 0, targets: [], status429: 0, status5xx: 0, resets: 0, total: 0};
      const minutes = (last.atMs - first.atMs) / 60_000;
      const count = (stats: StatsSnapshot, target: string, writes: boolean) =>
        Object.entries(stats.byTarget[target] ?? {}).reduce((sum, [method, n]) => sum + (WRITES.has(method) === writes ? n : 0), 0);
      // The busiest window of about a minute (the whole run, when it is shorter).
      const peak = (target: string, writes: boolean) => {
        let best = 0;
        for (let i = 0, j = 0; i < samples.length; i++) {
          while (samples[i]!.atMs - samples[j + 1 < i ? j + 1 : j]!.atMs >= 60_000 && j + 1 < i) j++;
          const span = samples[i]!.atMs - samples[j]!.atMs;
          if (span < Math.min(60_000, last.atMs - first.atMs)) continue;
          best = Math.max(best, ((count(samples[i]!.stats, target, writes) - count(samples[j]!.stats, target, writes)) * 60_000) / span);
        }
        return Math.round(best);
      };
      const status = (predicate: (code: number) => boolean) =>
        Object.entries(last.stats.byStatus).reduce((sum, [code, n]) => sum + (predicate(Number(code)) ? n - (first.stats.byStatus[code] ?? 0) : 0), 0);
      return {
        minutes,
        total: last.stats.total - first.stats.total,
        status429: status(code => code === 429),
        status5xx: status(code => code >= 500),
        resets: status(code => code === 0),
        targets: targets.map(target => {
          const reads = count(last.stats, target, false) - count(first.stats, target, false);
          const writes = count(last.stats, target, true) - count(first.stats, target, true);
          const byMethod = Object.fromEntries(Object.entries(last.stats.byTarget[target] ?? {}).map(([method, n]) => [method, n - (first.stats.byTarget[target]?.[method] ?? 0)]));
          return {
            target, reads, writes, byMethod,
            readsPerMinute: Math.round(reads / minutes), writesPerMinute: Math.round(writes / minutes),
            peakReadsPerMinute: peak(target, false), peakWritesPerMinute: peak(target, true),
          };
        }),
      };
    },
  };
}
