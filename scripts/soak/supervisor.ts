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
  /** A replacement the soak asked for (rearm), not a death. */
  readonly planned?: boolean;
}

export interface Supervisor {
  /** The current instance of each function. */
  readonly servers: () => readonly FunctionServer[];
  readonly url: (target: string) => string;
  readonly restarts: () => readonly Restart[];
  /** Every instance ever started (the memory sampler reads them all). */
  readonly instances: () => readonly FunctionServer[];
  /**
   * Replaces the instances of `targets`, as Cloud Run does at a new revision: a new instance gets
   * `env` on top of the common environment (replacing what an earlier rearm added), the old one is
   * sent SIGTERM (KILL after 5 s); resolves once the new ones serve.
   */
  rearm(targets: readonly string[], env: Readonly<Record<string, string>>, options?: {replace: boolean}): Promise<void>;
  stop(): Promise<void>;
}

/** Starts every function, waits until each serves, and restarts any that exits until `stop`. */
export async function superviseFunctions(
  specs: readonly FunctionSpec[], env: Record<string, string>, logDir: string, say: (line: string) => void,
  /** Extra environment of some functions from the start, by target (a rearm replaces it). */
  initialExtra: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): Promise<Supervisor> {
  const current = new Map<string, FunctionServer>();
  const all: FunctionServer[] = [];
  const restarts: Restart[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const extraEnv = new Map<string, Readonly<Record<string, string>>>(Object.entries(initialExtra));
  const planned = new Set<FunctionServer>();
  const serving = new Map<string, Array<() => void>>();
  let stopping = false;

  const launch = (spec: FunctionSpec, append: boolean): FunctionServer => {
    const server = startFunctionServer(spec.target, spec.port, {...env, ...extraEnv.get(spec.target)}, logDir, {append, receiveTime: true});
    current.set(spec.target, server);
    all.push(server);
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      const replaced = planned.delete(server);
      const recent = restarts.filter(r => r.target === spec.target && !r.planned && Date.now() - r.atMs < 30_000).length;
      restarts.push({target: spec.target, code, signal, atMs: Date.now(), ...(replaced ? {planned: true} : {})});
      const delayMs = replaced ? 0 : Math.min(5000, 250 * 2 ** recent);
      say(`${replaced ? '' : '!!! '}${spec.target} exited (code ${code ?? signal}${replaced ? ', replaced on purpose' : ''}); the supervisor starts a new instance in ${delayMs} ms`);
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (stopping) return;
        const next = launch(spec, true);
        waitUntilServing(next).then(
          () => (say(`${spec.target}: new instance serving`), serving.get(spec.target)?.splice(0).forEach(resolve => resolve())),
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
    async rearm(targets, extra, {replace} = {replace: true}) {
      if (!replace) {
        // Only instances started from now on (after a crash) get the new environment.
        for (const target of targets) extraEnv.set(target, extra);
        return;
      }
      const olds = targets.map(target => current.get(target)).filter((server): server is FunctionServer => server !== undefined);
      const up = olds.map(old => new Promise<void>(resolve => serving.set(old.target, [...(serving.get(old.target) ?? []), resolve])));
      for (const target of targets) extraEnv.set(target, extra);
      for (const old of olds) planned.add(old);
      await stopFunctionServers(olds);
      await Promise.race([Promise.all(up), new Promise(resolve => setTimeout(resolve, 60_000))]);
    },
    async stop() {
      stopping = true;
      for (const timer of pending) clearTimeout(timer);
      await stopFunctionServers([...current.values()]);
    },
  };
}
