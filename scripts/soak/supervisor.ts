// Keeps every function running, as Cloud Run starts a new instance when one dies: a function
// process that exits while the soak runs is started again on the same port (its push subscription
// keeps pointing there), its log continued in the same file. Restarts that come fast back off.
import {startFunctionServer, stopFunctionServers, waitUntilServing, type FunctionServer} from '../local/function-servers.js';

/** One function to keep running. */
export interface FunctionSpec {
  readonly target: string;
  readonly port: number;
}

/** An exit the supervisor restarted. */
export interface Restart {
  readonly target: string;
  readonly code: number | null;
  readonly signal: string | null;
  readonly atMs: number;
}

export interface Supervisor {
  /** The current instance of each function. */
  readonly servers: () => readonly FunctionServer[];
  readonly url: (target: string) => string;
  readonly restarts: () => readonly Restart[];
  /** Every instance ever started (the memory sampler reads them all). */
  readonly instances: () => readonly FunctionServer[];
  stop(): Promise<void>;
}

/** Starts every function, waits until each serves, and restarts any that exits until `stop`. */
export async function superviseFunctions(
  specs: readonly FunctionSpec[], env: Record<string, string>, logDir: string, say: (line: string) => void,
): Promise<Supervisor> {
  const current = new Map<string, FunctionServer>();
  const all: FunctionServer[] = [];
  const restarts: Restart[] = [];
  const pending = new Set<NodeJS.Timeout>();
  let stopping = false;

  const launch = (spec: FunctionSpec, append: boolean): FunctionServer => {
    const server = startFunctionServer(spec.target, spec.port, env, logDir, {append, receiveTime: true});
    current.set(spec.target, server);
    all.push(server);
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      const recent = restarts.filter(r => r.target === spec.target && Date.now() - r.atMs < 30_000).length;
      restarts.push({target: spec.target, code, signal, atMs: Date.now()});
      const delayMs = Math.min(5000, 250 * 2 ** recent);
      say(`!!! ${spec.target} exited (code ${code ?? signal}); the supervisor starts a new instance in ${delayMs} ms`);
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (stopping) return;
        const next = launch(spec, true);
        waitUntilServing(next).then(
          () => say(`${spec.target}: new instance serving`),
          (error: unknown) => say(`!!! ${spec.target}: the new instance did not come up: ${String(error)}`),
        );
      }, delayMs);
      pending.add(timer);
    });
    return server;
  };

  for (const spec of specs) launch(spec, false);
  await Promise.all([...current.values()].map(server => waitUntilServing(server)));
  return {
    servers: () => [...current.values()],
    url: target => current.get(target)?.url ?? `http://127.0.0.1:${specs.find(s => s.target === target)?.port ?? 0}`,
    restarts: () => restarts,
    instances: () => all,
    async stop() {
      stopping = true;
      for (const timer of pending) clearTimeout(timer);
      await stopFunctionServers([...current.values()]);
    },
  };
}
