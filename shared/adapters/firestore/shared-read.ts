/**
 * A read shared by its callers: calls for one key that arrive while a read is running join it, and
 * its result serves later calls for `maxAgeMs` after it completed. Under load one read then serves
 * every caller of a moment; no caller gets a result older than `maxAgeMs` plus one read.
 */
export function createSharedRead<T>(maxAgeMs: number, now: () => number = Date.now) {
  const running = new Map<string, Promise<T>>();
  const recent = new Map<string, {value: T; at: number}>();
  return (key: string, read: () => Promise<T>): Promise<T> => {
    const fresh = recent.get(key);
    if (fresh && now() - fresh.at < maxAgeMs) return Promise.resolve(fresh.value);
    const current = running.get(key);
    if (current) return current;
    const started = read().then(value => {
      recent.set(key, {value, at: now()});
      return value;
    }).finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
