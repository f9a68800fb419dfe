// A small closed-loop HTTP load generator: a fixed number of calls in flight over keep-alive
// connections, each call's latency as the client sees it. node:http rather than fetch, because the
// client shares the machine's two cores with the gate and the emulators, and undici costs more CPU.
import http from 'node:http';

/** One call to make: method, full URL, headers and an optional JSON body (already serialised). */
export interface BenchCall {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back. */
export interface BenchAnswer {
  readonly status: number;
  readonly text: string;
}

/** The outcome of a run of calls. */
export interface LoadResult {
  /** Latency of each call in ms, in completion order. */
  readonly latenciesMs: number[];
  readonly wallMs: number;
  /** How many calls answered each status. */
  readonly statuses: Record<string, number>;
  /** The first answer with an unexpected status, to say what went wrong. */
  readonly firstFailure?: BenchAnswer;
}

/** A keep-alive client; `maxSockets` should be at least the concurrency it is used with. */
export function createBenchClient(maxSockets: number) {
  const agent = new http.Agent({keepAlive: true, maxSockets});
  return {
    send: (call: BenchCall) => send(agent, call),
    close: () => agent.destroy(),
  };
}

export type BenchClient = ReturnType<typeof createBenchClient>;

/**
 * Makes `total` calls, `concurrency` at a time (each worker starts its next call when its last one
 * answered). `makeCall(i)` builds call number i; `expect` is the status every call should get.
 */
export async function runLoad(client: BenchClient, options: {total: number; concurrency: number; expect: number}, makeCall: (i: number) => BenchCall): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let firstFailure: BenchAnswer | undefined;
  let next = 0;
  const worker = async () => {
    while (next < options.total) {
      const call = makeCall(next++);
      const started = performance.now();
      const answer = await client.send(call);
      latenciesMs.push(performance.now() - started);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status !== options.expect) firstFailure ??= answer;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({length: Math.min(options.concurrency, options.total)}, worker));
  return {latenciesMs, wallMs: performance.now() - started, statuses, ...(firstFailure ? {firstFailure} : {})};
}

/** The value at percentile `p` (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function send(agent: http.Agent, call: BenchCall): Promise<BenchAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {...call.headers};
    if (call.body !== undefined) headers['content-length'] = Buffer.byteLength(call.body);
    const req = http.request(call.url, {method: call.method, agent, headers}, res => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')}));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(call.body);
  });
}
