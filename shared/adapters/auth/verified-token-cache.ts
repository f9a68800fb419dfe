import {createHash} from 'node:crypto';

/**
 * Tokens whose signature has been verified, with what they said. A client reuses its ID token for up to
 * an hour, so without this every call would pay an RSA verification (the gate's largest CPU cost per
 * call). Keyed by a hash of the exact token, so only the very bytes that were verified ever hit; the
 * time-bound claims are still checked on every hit. Bounded: the oldest entry goes first.
 */
export function createVerifiedTokenCache<T>(maxEntries: number) {
  const entries = new Map<string, T>();
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');
  return {
    get(token: string): T | undefined {
      return maxEntries > 0 ? entries.get(keyOf(token)) : undefined;
    },
    set(token: string, value: T): void {
      if (maxEntries <= 0) return;
      const key = keyOf(token);
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    delete(token: string): void {
      entries.delete(keyOf(token));
    },
  };
}
