// A TCP pass-through on a fixed loopback port that can be shut and opened again. The restartable
// emulators sit behind one: shutting it drops every connection and refuses new ones, which is all a
// client can see of a dead server, while the harness still reaches the emulator directly (to export
// its data before the kill, to import it and re-create state after the restart) before letting
// clients back in.
import {createServer, connect, type Server, type Socket} from 'node:net';

/** A gate in front of a server on 127.0.0.1. */
export interface TcpGate {
  /** The port clients use; it stays the same across shut and open. */
  readonly port: number;
  isOpen(): boolean;
  /** Drops every connection at once and refuses new ones, as a killed server does. */
  shut(): Promise<void>;
  /** Accepts connections again and forwards them to `upstreamPort` (default: the last one). */
  open(upstreamPort?: number): Promise<void>;
  /** Shuts the gate for good. */
  close(): Promise<void>;
}

/** Starts an open gate on `port` (0: a free one) forwarding to 127.0.0.1:`upstreamPort`. */
export async function startTcpGate(upstreamPort: number, port = 0): Promise<TcpGate> {
  let upstream = upstreamPort;
  const sockets = new Set<Socket>();
  const server: Server = createServer(client => {
    const server = connect(upstream, '127.0.0.1');
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined); // a reset on either side just ends the pair
    }
    // Either side ending ends the other: a client must see the server go away, and vice versa.
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
    client.pipe(server).pipe(client);
  });
  server.unref(); // the gate alone never keeps a test process alive
  const listen = (at: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : at);
    });
  });
  const fixedPort = await listen(port);
  let open = true;
  const shut = async () => {
    if (!open) return;
    open = false;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port: fixedPort,
    isOpen: () => open,
    shut,
    async open(next = upstream) {
      upstream = next;
      if (open) return;
      await listen(fixedPort);
      open = true;
    },
    close: shut,
  };
}
