import type {Firestore, WriteBatch} from '@google-cloud/firestore';
import {describe, expect, it} from 'vitest';
import {createGroupCommit} from '../../../../shared/adapters/firestore/group-commit.js';
import {createPerKeyQueue} from '../../../../shared/adapters/firestore/per-key-queue.js';

/** A promise with its resolve exposed, to hold work open until a test lets it finish. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>(resolve => (open = resolve));
  return {promise, open};
}

/** A Firestore whose batches record what they were given; a commit waits for the test to release it. */
function fakeFirestore(fail: (writes: readonly string[]) => boolean = () => false) {
  const commits: string[][] = [];
  const held: Array<() => void> = [];
  const firestore = {
    batch() {
      const writes: string[] = [];
      return {
        set: (name: string) => writes.push(name),
        commit: () => new Promise<void>((resolve, reject) => held.push(() => {
          commits.push(writes);
          if (fail(writes)) reject(new Error(`commit of ${writes.join(',')} failed`));
          else resolve();
        })),
      } as unknown as WriteBatch;
    },
  } as unknown as Firestore;
  const releaseAll = async () => {
    while (held.length > 0) {
      held.shift()!();
      await new Promise(resolve => setImmediate(resolve));
    }
  };
  return {firestore, commits, releaseAll};
}

const write = (name: string, writes = 1) => ({writes, apply: (batch: WriteBatch) => (batch as unknown as {set: (n: string) => void}).set(name)});

describe('createGroupCommit', () => {
  it('commits a lone write at once, and the writes that arrive meanwhile together in the next commit', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {maxInFlight: 1});
    const done = [commit(write('a')), commit(write('b')), commit(write('c'))];
    await releaseAll();
    await Promise.all(done);
    expect(commits).toEqual([['a'], ['b', 'c']]);
  });

  it('runs up to maxInFlight commits at once', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {maxInFlight: 2});
    const done = [commit(write('a')), commit(write('b')), commit(write('c')), commit(write('d'))];
    await releaseAll();
    await Promise.all(done);
    expect(commits).toEqual([['a'], ['b'], ['c', 'd']]);
  });

  it('keeps each commit within 500 writes', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {maxInFlight: 1});
    const done = [commit(write('first')), commit(write('x', 300)), commit(write('y', 300)), commit(write('z', 100))];
    await releaseAll();
    await Promise.all(done);
    expect(commits).toEqual([['first'], ['x'], ['y', 'z']]);
  });

  it('fails only the caller whose write fails a shared commit', async () => {
    const {firestore, releaseAll} = fakeFirestore(writes => writes.includes('bad'));
    const commit = createGroupCommit(firestore, {maxInFlight: 1});
    const done = [commit(write('a')), commit(write('b')), commit(write('bad')), commit(write('c'))].map(p => p.then(() => 'ok', () => 'failed'));
    await releaseAll();
    expect(await Promise.all(done)).toEqual(['ok', 'ok', 'failed', 'ok']);
  });
  it('starts no commit for a deferred write, but sends it with the next write', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {maxInFlight: 1, deferMs: 60_000});
    const cleanup = commit.deferred(write('delete-1'));
    await releaseAll();
    expect(commits).toEqual([]);
    const done = commit(write('audit-2'));
    await releaseAll();
    await Promise.all([cleanup, done]);
    expect(commits).toEqual([['delete-1', 'audit-2']]);
  });

  it('sends a deferred write on its own once deferMs has passed without another write', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {deferMs: 20});
    const cleanup = commit.deferred(write('delete-1'));
    await new Promise(resolve => setTimeout(resolve, 60));
    await releaseAll();
    await cleanup;
    expect(commits).toEqual([['delete-1']]);
  });

  it('lets a deferred write that arrives during a commit join the one after it', async () => {
    const {firestore, commits, releaseAll} = fakeFirestore();
    const commit = createGroupCommit(firestore, {maxInFlight: 1, deferMs: 60_000});
    const first = commit(write('audit-1'));
    const cleanup = commit.deferred(write('delete-1'));
    await releaseAll();
    await Promise.all([first, cleanup]);
    expect(commits).toEqual([['audit-1'], ['delete-1']]);
  });
});

describe('createPerKeyQueue', () => {
  it('runs one key’s work in call order, one at a time, and other keys alongside', async () => {
    const run = createPerKeyQueue();
    const log: string[] = [];
    const first = gate();
    const a1 = run('a', async () => {
      log.push('a1 start');
      await first.promise;
      log.push('a1 end');
    });
    const a2 = run('a', async () => void log.push('a2'));
    const b1 = run('b', async () => void log.push('b1'));
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    first.open();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('goes on after a failure, which only its own caller sees', async () => {
    const run = createPerKeyQueue();
    const failed = run('a', async () => Promise.reject(new Error('boom')));
    const next = run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
