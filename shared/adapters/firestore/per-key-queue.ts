/**
 * Runs work for one key at a time, in call order; different keys run in parallel. Used where every
 * call contends for one Firestore document: queueing in the process costs each caller a wait, while
 * letting them all into transactions at once costs lock waits and retries (the emulator resolves
 * such a pile-up in seconds, not milliseconds).
 */
export function createPerKeyQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key); // nothing queued behind: forget the key
    });
    return result;
  };
}
