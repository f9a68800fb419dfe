// The soak's gate callers: several services, each with its own email (so its own team and its own
// ID token from the local issuer), creating jobs through nasJobsApi, cancelling some of them and
// deleting some once they have finished, a few calls in flight each. A create carries a requestId,
// so a retry after a 429, a 5xx or a lost answer gets the same job, never a second one.
import {randomUUID} from 'node:crypto';
import {signLocalIdToken, type LocalIssuer} from '../../shared/adapters/auth/local-issuer.js';
import {LOCAL_DEFAULT_AUDIENCE} from '../../shared/config.js';
import {TEAMS, type PlannedJob} from './plan.js';

export type GateAction = 'create' | 'cancel' | 'delete' | 'get' | 'forbidden-create';

/** One call as the caller saw it in the end (after its retries). */
export interface GateCall {
  readonly action: GateAction;
  readonly status: number;
  /** The error envelope's status (FAILED_PRECONDITION…) of an answer that is not 2xx. */
  readonly reason?: string;
  readonly ms: number;
  readonly attempts: number;
}

/** A gate job as created: its name (with the project's number) and where it lives. */
export interface CreatedJob {
  readonly plan: PlannedJob;
  readonly name: string;
  readonly path: string;
}

const TERMINAL = new Set(['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_PAUSED', 'JOB_STATE_EXPIRED', 'JOB_STATE_PARTIALLY_SUCCEEDED']);
const RETRYABLE = new Set([0, 429, 500, 502, 503, 504]);
const IN_FLIGHT_PER_CALLER = 4;
const TOKEN_REFRESH_MS = 50 * 60_000;

/** The email of caller `k` (0-based): its domain gives its team in soak-policy.yaml. */
export function callerEmail(k: number): string {
  return `caller-${k + 1}@${TEAMS[k % TEAMS.length]}.soak.example`;
}

/** The callers; `tokens()` lists every ID token handed out (the secret scan looks for them). */
export function startCallers(gateUrl: string, callers: number, issuer: LocalIssuer, say: (line: string) => void) {
  const calls: GateCall[] = [];
  const created: CreatedJob[] = [];
  const issued: Record<string, string> = {};
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  const tokens = Array.from({length: callers}, (_, k) => ({email: callerEmail(k), token: '', at: 0}));
  const tokenOf = (k: number) => {
    const entry = tokens[k]!;
    if (Date.now() - entry.at > TOKEN_REFRESH_MS) {
      entry.token = signLocalIdToken(issuer, {email: entry.email, audience: LOCAL_DEFAULT_AUDIENCE});
      entry.at = Date.now();
      issued[`${entry.email} #${Object.keys(issued).filter(key => key.startsWith(entry.email)).length + 1}`] = entry.token;
    }
    return entry.token;
  };
  for (let k = 0; k < callers; k++) tokenOf(k);

  // A few calls in flight per caller; the rest wait their turn.
  const slots = tokens.map(() => ({busy: 0, waiting: [] as Array<() => void>}));
  const withSlot = async <T>(k: number, work: () => Promise<T>): Promise<T> => {
    const slot = slots[k]!;
    if (slot.busy >= IN_FLIGHT_PER_CALLER) await new Promise<void>(resolve => slot.waiting.push(resolve));
    slot.busy += 1;
    try {
      return await work();
    } finally {
      slot.busy -= 1;
      slot.waiting.shift()?.();
    }
  };

  const call = async (k: number, action: GateAction, method: string, path: string, body?: unknown): Promise<{status: number; json: Record<string, unknown>}> => {
    const t0 = Date.now();
    let attempts = 0;
    for (;;) {
      attempts += 1;
      let status = 0;
      let json: Record<string, unknown> = {};
      let retryAfterMs = 0;
      try {
        const response = await fetch(`${gateUrl}${path}`, {
          method, signal: AbortSignal.timeout(60_000),
          headers: {authorization: `Bearer ${tokenOf(k)}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
          ...(body === undefined ? {} : {body: JSON.stringify(body)}),
        });
        status = response.status;
        retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1000;
        json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      } catch {
        status = 0; // no answer: a reset, a timeout
      }
      if (!RETRYABLE.has(status) || attempts >= 5 || stopping) {
        const reason = (json.error as {status?: unknown} | undefined)?.status;
        calls.push({action, status, ms: Date.now() - t0, attempts, ...(typeof reason === 'string' ? {reason} : {})});
        return {status, json};
      }
      await new Promise(resolve => setTimeout(resolve, Math.max(retryAfterMs, 400 * 2 ** attempts)));
    }
  };

  const later = (ms: number, work: () => Promise<unknown>) => {
    if (stopping) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) track(work());
    }, ms);
    timers.add(timer);
  };
  const track = (work: Promise<unknown>) => {
    const tracked = work.catch(error => say(`!!! a caller's call failed: ${String(error)}`)).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const deleteWhenDone = (k: number, job: CreatedJob, polls: number) => later(polls === 0 ? 10_000 : 4000, () => withSlot(k, async () => {
    const {status, json} = await call(k, 'get', 'GET', job.path);
    if (status === 200 && TERMINAL.has(String(json.state))) await call(k, 'delete', 'DELETE', job.path);
    else if (polls < 40 && status !== 404) deleteWhenDone(k, job, polls + 1);
  }));

  return {
    /** Creates `job` through the gate now, and schedules what its caller will do with it. */
    create(job: PlannedJob): void {
      if (stopping) return;
      const k = job.caller;
      const parent = `/v1/projects/${job.target.project}/locations/${job.target.location}/nasJobs`;
      track(withSlot(k, async () => {
        if (job.forbiddenProbe) await call(k, 'forbidden-create', 'POST', `/v1/projects/${job.target.project}/locations/asia-east1/nasJobs`, jobBody(job));
        const {status, json} = await call(k, 'create', 'POST', `${parent}?requestId=${randomUUID()}`, jobBody(job));
        if (status !== 200 || typeof json.name !== 'string') return;
        const made: CreatedJob = {plan: job, name: json.name, path: `${parent}/${json.name.split('/').pop()}`};
        created.push(made);
        if (job.cancelAfterMs !== undefined) later(job.cancelAfterMs, () => withSlot(k, () => call(k, 'cancel', 'POST', `${made.path}:cancel`, {})));
        if (job.deleteWhenDone) deleteWhenDone(k, made, 0);
      }));
    },
    calls: (): readonly GateCall[] => calls,
    created: (): readonly CreatedJob[] => created,
    /** Every ID token handed out, by a label naming its caller. */
    tokens: (): Readonly<Record<string, string>> => issued,
    emails: () => tokens.map(t => t.email),
    /** Drops what is scheduled and waits (up to `graceMs`) for the calls in flight. */
    async stop(graceMs = 30_000): Promise<void> {
      stopping = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.race([Promise.all([...inFlight]), new Promise(resolve => setTimeout(resolve, graceMs))]);
    },
  };
}

/** The create body: a search the soak policy allows, steered to its fate by the simulator's scenario label. */
function jobBody(job: PlannedJob) {
  return {
    displayName: job.displayName,
    labels: {'sim-scenario': job.scenario, 'soak-run': 'yes'},
    nasJobSpec: {multiTrialAlgorithmSpec: {
      metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
      searchTrialSpec: {
        maxTrialCount: job.maxTrialCount, maxParallelTrialCount: job.maxParallelTrialCount, maxFailedTrialCount: 1,
        searchTrialJobSpec: {workerPoolSpecs: [{
          machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1},
          replicaCount: '1', containerSpec: {imageUri: `us-docker.pkg.dev/${job.target.project}/nas/trainer:1`}}]},
      },
    }},
  };
}
