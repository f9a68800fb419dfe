// Loaded before every test file. nasmon's tests must never reach a real Google endpoint (or any
// host off this machine): a stray call fails loudly here instead of hanging on a closed network.
import net from 'node:net';
import {isLoopbackHost} from './loopback.js';

process.env.METADATA_SERVER_DETECTION ??= 'none';
process.env.GOOGLE_CLOUD_PROJECT ??= 'demo-nasmon';

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args);
  if (host !== undefined && !isLoopbackHost(host)) {
    throw new Error(`offline-guard: tests may only connect to loopback, not to ${host}`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

function hostOf(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const options = first as {host?: unknown; path?: unknown};
    if (typeof options.path === 'string') return undefined; // unix socket
    return typeof options.host === 'string' ? options.host : 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined; // a unix socket path
}
