import {describe, expect, it} from 'vitest';
import type {PollStore} from '../../../../shared/ports/poll-store.js';
import {boundedStore, StoreDeadlineError} from '../../../../shared/use-cases/poll/bounded-store.js';

describe('boundedStore', () => {
  const never = () => new Promise<never>(() => undefined);
  const store = {
    readDigest: never,
    pendingOutbox: async () => [],
    pruneDigest: async () => {
      throw new Error('boom');
    },
  } as unknown as PollStore;

  it('fails a call that does not settle in time, naming the method', async () => {
    const error = await boundedStore(store, 20).readDigest({project: 'p', location: 'l'}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreDeadlineError);
    expect(error).toMatchObject({method: 'readDigest', code: 'upstream-unavailable'});
    expect((error as Error).message).toBe('deadline: store.readDigest did not settle within 20 ms');
  });

  it('passes results and errors of calls that settle in time through unchanged', async () => {
    const bounded = boundedStore(store, 1000);
    await expect(bounded.pendingOutbox({project: 'p', location: 'l'}, 5)).resolves.toEqual([]);
    await expect(bounded.pruneDigest({project: 'p', location: 'l'}, [])).rejects.toThrow('boom');
  });
});
