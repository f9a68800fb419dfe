// Hand-written fakes for enforce's use cases: an EnforceStore in memory (each transaction runs
// whole, as Firestore serialises them on the job's state document), a Vertex client whose cancel can
// be told to fail, and a world that wires them with a clock the test moves.
import {EMPTY_ENFORCE_STATE, type EnforceState} from '../../../../shared/core/enforce/index.js';
import type {OutboundEvent} from '../../../../shared/core/events/nasjob-event.js';
import type {JobRecord} from '../../../../shared/core/poll/job-record.js';
import {VertexApiError, type NasJob} from '../../../../shared/core/vertex/index.js';
import {createLogger} from '../../../../shared/log.js';
import type {OutboxBatch} from '../../../../shared/ports/poll-store.js';
import type {EnforceDeps, EnforceSnapshot, EnforceStore, EnforceWrite, StoredProblem} from '../../../../shared/use-cases/enforce/enforce-deps.js';
import {aNasJob} from '../../../factories.js';
import {rulesOf, runtimeOf} from '../../core/enforce/enforce-kit.js';

/** The in-memory EnforceStore. */
export class InMemoryEnforceStore implements EnforceStore {
  readonly mirror = new Map<string, Omit<EnforceSnapshot, 'state'>>();
  readonly states = new Map<string, EnforceState>();
  readonly unreadableStates = new Map<string, StoredProblem>();
  readonly audit: Array<{jobName: string; key: string; fields: Readonly<Record<string, unknown>>}> = [];
  readonly outbox = new Map<string, OutboxBatch>();
  private sweptAt: number | undefined;

  async transact<T>(jobName: string, decide: (snapshot: EnforceSnapshot) => {write?: EnforceWrite; result: T}) {
    const problem = this.unreadableStates.get(jobName);
    const snapshot: EnforceSnapshot = {...this.mirror.get(jobName), state: this.states.get(jobName) ?? EMPTY_ENFORCE_STATE, ...(problem ? {stateProblem: problem} : {})};
    const {write, result} = decide(structuredClone(snapshot));
    if (!write) return {result, batches: []};
    for (const entry of write.audit) {
      if (this.audit.some(a => a.jobName === jobName && a.key === entry.key)) throw new Error(`ALREADY_EXISTS: audit ${entry.key}`);
    }
    this.states.set(jobName, write.state);
    this.audit.push(...write.audit.map(entry => ({jobName, key: entry.key, fields: entry.fields})));
    const batches: OutboxBatch[] = write.events.length === 0 ? [] : [{id: write.events[0]!.id, events: write.events}];
    for (const batch of batches) this.outbox.set(batch.id, batch);
    return {result, batches};
  }

  async dueJobs(now: Date, limit: number) {
    return [...this.states].filter(([, s]) => s.dueMs !== null && s.dueMs <= now.getTime())
      .sort(([, a], [, b]) => a.dueMs! - b.dueMs!).slice(0, limit).map(([name]) => name);
  }

  async activeJobVersions() {
    const active = [...this.mirror].filter(([, m]) => m.record && !m.record.deleted && !m.record.state.match(/SUCCEEDED|FAILED|CANCELLED$/));
    return new Map(active.map(([name]) => [name, this.states.get(name)?.policyVersion]));
  }

  async markDue(names: readonly string[], now: Date) {
    for (const name of names) this.states.set(name, {...(this.states.get(name) ?? EMPTY_ENFORCE_STATE), dueMs: now.getTime()});
  }

  async claimSweep(now: Date, everyMs: number) {
    if (this.sweptAt !== undefined && now.getTime() - this.sweptAt < everyMs) return false;
    this.sweptAt = now.getTime();
    return true;
  }

  async postpone(jobName: string, until: Date) {
    const state = this.states.get(jobName) ?? EMPTY_ENFORCE_STATE;
    this.states.set(jobName, {...state, dueMs: until.getTime()});
  }

  async completeOutbox(ids: readonly string[]) {
    for (const id of ids) this.outbox.delete(id);
  }
}

/** A VertexApiError as the client throws it. */
export function vertexError(httpStatus: number, status: string, retryAfterSeconds?: number): VertexApiError {
  return new VertexApiError({httpStatus, status, serverMessage: `${status.toLowerCase()} from the fake`, details: [], ...(retryAfterSeconds === undefined ? {} : {retryAfterSeconds})});
}

/** One running job seen the same way by the mirror and by "Vertex", and enforce wired around them. */
export function enforceWorld(options: {rules?: Record<string, unknown>[]; runtime?: Record<string, unknown>; job?: Partial<NasJob>} = {}) {
  const store = new InMemoryEnforceStore();
  const published: OutboundEvent[] = [];
  const lines: string[] = [];
  const calls = {cancel: 0, get: 0};
  const cancelErrors: unknown[] = [];
  const getErrors: unknown[] = [];
  let nowMs = Date.parse('2025-07-20T10:05:00Z');
  let job: NasJob = aNasJob(options.job);
  let vertexJob: NasJob = job;
  const policy = options.runtime ? runtimeOf(options.runtime) : rulesOf(...(options.rules ?? [{name: 'run', kind: 'max-run-time', limit: '10h'}]));
  const deps: EnforceDeps = {
    policy, store, log: createLogger({}, line => lines.push(line)), now: () => new Date(nowMs),
    settings: {forceDryRun: false, maxDuePerTick: 100, sweepEveryMs: 3_600_000, concurrency: 4},
    publisher: {publish: async events => void published.push(...events)},
    vertex: {
      async getNasJob() {
        calls.get += 1;
        if (getErrors.length > 0) throw getErrors.shift();
        return vertexJob;
      },
      async cancelNasJob() {
        calls.cancel += 1;
        if (cancelErrors.length > 0) throw cancelErrors.shift();
      },
    },
  };
  const mirror = () => {
    const record: JobRecord = {name: job.name, job, state: String(job.state), sequence: 1, stateSince: job.createTime!, stages: {}, deleted: false};
    store.mirror.set(job.name, {record, target: {project: 'nas-prod', targetKey: 'nas-prod:us-central1'}});
  };
  mirror();
  return {
    store, deps, published, lines, calls, cancelErrors, getErrors, name: job.name,
    /** Moves the clock to `hours` after the job started. */
    at(hours: number) {
      nowMs = Date.parse('2025-07-20T10:05:00Z') + hours * 3_600_000;
    },
    /** Changes the job in Vertex and in the mirror, as a poll cycle would. */
    become(changes: Partial<NasJob>) {
      job = {...job, ...changes};
      vertexJob = job;
      mirror();
    },
    /** Changes the job in Vertex only: the poller has not seen the change yet. */
    becomeInVertexOnly(changes: Partial<NasJob>) {
      vertexJob = {...vertexJob, ...changes};
    },
    /** Events published so far, as `action rule` (enforcement events only). */
    actions: () => published.map(event => `${String(event.data.action)} ${String(event.data.rule)}`),
    logged: (text: string) => lines.map(line => JSON.parse(line) as Record<string, unknown>).filter(line => String(line.message).includes(text)),
  };
}
