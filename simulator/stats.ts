// Request counters for GET /simulator/stats: per target and REST method, and per HTTP status, so a
// benchmark or test can check how many calls a poller really made.

export interface StatsSnapshot {
  total: number;
  byStatus: Record<string, number>;
  byMethod: Record<string, number>;
  byTarget: Record<string, Record<string, number>>;
}

export class RequestStats {
  private snapshotData: StatsSnapshot = {total: 0, byStatus: {}, byMethod: {}, byTarget: {}};

  /** `target` is "project/location" (project id when known) or undefined for unroutable requests. */
  record(target: string | undefined, method: string, status: number): void {
    const data = this.snapshotData;
    data.total++;
    increment(data.byStatus, String(status));
    increment(data.byMethod, method);
    if (target !== undefined) increment((data.byTarget[target] ??= {}), method);
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.snapshotData);
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
