// Everything a running simulator knows. `reset()` returns it to the state right after start-up,
// except the clock, which never runs backwards.
import {createHash} from 'node:crypto';
import {FaultRegistry} from './faults/fault-registry.js';
import {createSimClock, type SimClock} from './model/clock.js';
import {createIdGenerator, projectNumberOf, type IdGenerator} from './model/ids.js';
import {JobStore} from './model/job-store.js';
import {createRng} from './model/prng.js';
import {defaultSimConfig, type SimConfig} from './model/sim-config.js';
import type {JobState} from './proto/enums.js';
import {AcceleratorQuota} from './quota/accelerator-quota.js';
import {RequestQuota} from './quota/request-quota.js';
import {RequestStats} from './stats.js';

export interface ResolvedOptions {
  seed: number;
  timeScale: number;
  initialState: JobState;
  readsPerMinute: number;
  writesPerMinute: number;
  /** Seconds the simulated clock runs ahead of (positive) or behind (negative) the real one at start. */
  clockOffsetSeconds: number;
}

export class SimState {
  readonly clock: SimClock;
  /** HMAC key for page tokens; derived from the seed so tokens are reproducible too. */
  readonly tokenKey: Buffer;
  config!: SimConfig;
  store!: JobStore;
  jobIds!: IdGenerator;
  operationIds!: IdGenerator;
  quota!: RequestQuota;
  acceleratorQuota!: AcceleratorQuota;
  faults!: FaultRegistry;
  stats!: RequestStats;
  nextSeq = 0;
  /** Project number → project id, for readable stats keys. */
  readonly projectIds = new Map<string, string>();

  constructor(readonly options: ResolvedOptions) {
    this.clock = createSimClock(options.timeScale, undefined, options.clockOffsetSeconds);
    this.tokenKey = createHash('sha256').update(`page-token|${options.seed}`).digest();
    this.reset();
  }

  reset(): void {
    const {seed, readsPerMinute, writesPerMinute} = this.options;
    this.config = defaultSimConfig();
    this.store = new JobStore();
    this.jobIds = createIdGenerator(createRng(seed, 'job-ids'));
    this.operationIds = createIdGenerator(createRng(seed, 'operation-ids'));
    this.quota = new RequestQuota({readsPerMinute, writesPerMinute});
    this.acceleratorQuota = new AcceleratorQuota();
    this.faults = new FaultRegistry(createRng(seed, 'faults'));
    this.stats = new RequestStats();
    this.nextSeq = 0;
    this.projectIds.clear();
  }

  /** Resolves a path's project (id or number) to its number, remembering ids for display. */
  projectNumber(project: string): string {
    const projectNumber = projectNumberOf(project);
    if (projectNumber !== project) this.projectIds.set(projectNumber, project);
    return projectNumber;
  }
}
