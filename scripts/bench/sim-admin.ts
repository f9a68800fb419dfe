// Typed calls to the simulator's admin surface (simulator/README.md, "Admin endpoints").
// Admin calls are not counted in /simulator/stats, so they never pollute the Vertex call figures.

/** Request counters of GET /simulator/stats. */
export interface SimStats {
  readonly total: number;
  readonly byMethod: Record<string, number>;
  readonly byStatus: Record<string, number>;
}

/** The admin client of one running simulator. */
export type SimAdmin = ReturnType<typeof simAdmin>;

export function simAdmin(baseUrl: string) {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/simulator/${path}`, {
      method,
      headers: {'content-type': 'application/json'},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} /simulator/${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return {
    seed: (body: {project: string; location: string; count: number; scenarioMix?: Record<string, number>; ageSeconds?: number}) =>
      call<{names: string[]}>('POST', 'jobs:seed', body),
    force: (name: string, state: string) => call<{state?: string; updateTime?: string}>('POST', 'jobs:force', {name, state}),
    advance: (seconds: number) => call<{now: string}>('POST', 'clock:advance', {seconds}),
    clock: async () => Date.parse((await call<{now: string}>('GET', 'clock')).now),
    quota: (limits: {readsPerMinute?: number; writesPerMinute?: number}) =>
      call<{readsPerMinute: number; writesPerMinute: number}>('POST', 'quota', limits),
    stats: () => call<SimStats>('GET', 'stats'),
  };
}

/** Calls made between two stats snapshots, in total and for list and get. */
export function callsBetween(before: SimStats, after: SimStats): {total: number; list: number; get: number; rejected: number} {
  const delta = (key: string) => (after.byMethod[key] ?? 0) - (before.byMethod[key] ?? 0);
  const status429 = (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0);
  return {total: after.total - before.total, list: delta('nasJobs.list'), get: delta('nasJobs.get'), rejected: status429};
}
