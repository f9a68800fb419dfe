// startServing with real processes: a tiny HTTP server per start, listening as the functions
// framework does (every address), and a port really taken by another server.
import {spawn} from 'node:child_process';
import {createServer, type Server} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {startServing, type FunctionServer} from '../../../../scripts/local/function-servers.js';
import {freePort} from '../../../harness/emulator-processes.js';

const children: FunctionServer['child'][] = [];
const blockers: Server[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const blocker of blockers.splice(0)) blocker.close();
});

// `exitAtOnce`: a server that fails for a reason of its own, whatever the port.
function start(port: number, exitAtOnce = false): FunctionServer {
  const code = exitAtOnce ? 'process.exit(3)' : `require('node:http').createServer((q, r) => r.end('ok')).listen(${port})`;
  const child = spawn(process.execPath, ['-e', code], {stdio: 'ignore'});
  children.push(child);
  return {target: 'probe', url: `http://127.0.0.1:${port}`, child};
}

async function takenPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>(resolve => blocker.listen(0, resolve));
  return (blocker.address() as {port: number}).port;
}

describe('startServing', () => {
  it('starts again on a fresh port when another process took the one picked for it', async () => {
    const taken = await takenPort();
    const seen: Array<[string, string | undefined]> = [];
    const server = await startServing(port => start(port), taken, {pinned: false, freePort, timeoutMs: 10_000,
      started: (next, replaces) => seen.push([next.url, replaces?.url])});
    expect(server.url).not.toBe(`http://127.0.0.1:${taken}`);
    expect(await (await fetch(server.url)).text()).toBe('ok');
    expect(seen).toEqual([[`http://127.0.0.1:${taken}`, undefined], [server.url, `http://127.0.0.1:${taken}`]]);
  });

  it('never moves a pinned port: the clash is the user\'s to resolve', async () => {
    const taken = await takenPort();
    let starts = 0;
    await expect(startServing(port => (starts++, start(port)), taken, {pinned: true, freePort, timeoutMs: 10_000})).rejects.toThrow(/exited with code 1/);
    expect(starts).toBe(1);
  });

  it('does not retry a server that failed with its port still free', async () => {
    const port = await freePort();
    let starts = 0;
    await expect(startServing(next => (starts++, start(next, true)), port, {pinned: false, freePort, timeoutMs: 10_000})).rejects.toThrow(/exited with code 3/);
    expect(starts).toBe(1);
  });

  it('gives up after the attempts allowed', async () => {
    const ports = [await takenPort(), await takenPort(), await takenPort()];
    let starts = 0;
    await expect(startServing(port => (starts++, start(port)), ports[0]!, {pinned: false, attempts: 2, freePort: async () => ports[1]!, timeoutMs: 10_000}))
      .rejects.toThrow(/exited with code 1/);
    expect(starts).toBe(2);
  });
});
