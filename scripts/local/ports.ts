// Ports of the local stack. Everything listens on a free port picked at start-up, except the NAS
// simulator's documented 8089; each can be pinned with an environment variable, and a port that is
// taken stops the start with a message naming the variable that moves it.
import type {AddressInfo} from 'node:net';
import {createServer} from 'node:net';

type Env = Readonly<Record<string, string | undefined>>;

/** A port asked for in `env[name]` (0 or unset: `fallback`); throws on a value that is not a port. */
export function portFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name}=${raw} is not a port number (0 to 65535; 0 picks a free one)`);
  return port;
}

/** Resolves once `server` listens on 127.0.0.1:`port`; a taken port rejects naming `what` and `envName`. */
export function listenOn(
  server: {listen(port: number, host: string): unknown; once(event: 'error' | 'listening', listener: (error: NodeJS.ErrnoException) => void): unknown; address(): unknown},
  port: number, what: string, envName?: string,
): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', error => reject(error.code === 'EADDRINUSE' ? portTaken(port, what, envName) : new Error(`${what} could not listen on port ${port}: ${error.message}`)));
    server.once('listening', () => resolve(server.address() as AddressInfo));
    server.listen(port, '127.0.0.1');
  });
}

/** Picks `port` itself when it is free (a free one when it is 0); throws the clear message when taken. */
export async function claimPort(port: number, what: string, envName: string): Promise<number> {
  const probe = createServer();
  const address = await listenOn(probe, port, what, envName);
  await new Promise(resolve => probe.close(resolve));
  return address.port;
}

function portTaken(port: number, what: string, envName: string | undefined): Error {
  const move = envName ? `; set ${envName} to another port (0 picks a free one)` : '';
  return new Error(`port ${port} for ${what} is already in use (is another \`npm start\` running?)${move}`);
}
