// Turns a validated, canonical NasJob body into a live JobRecord: id, name, budget, plan, first events.
import {getNumber, getObject, getString} from '../proto/json-path.js';
import type {JsonObject} from '../proto/normalize-input.js';
import type {SimTime} from '../proto/time-format.js';
import type {SimState} from '../sim-state.js';
import {EventQueue} from './event-queue.js';
import {drawPlan} from './job-plan.js';
import type {JobEvent, JobRecord, TrialBudget} from './job-record.js';
import type {Target} from './job-store.js';
import {scheduleLifecycle} from './lifecycle.js';
import {createRng} from './prng.js';
import type {SimConfig} from './sim-config.js';

const ALGORITHM = ['nasJobSpec', 'multiTrialAlgorithmSpec'] as const;

/** Reads the trial budget; a resumed job inherits the objective of the job it resumes. */
export function readTrialBudget(input: JsonObject, resumed?: JobRecord): TrialBudget {
  const maxTrials = getNumber(input, ...ALGORITHM, 'searchTrialSpec', 'maxTrialCount');
  const maxFailed = getNumber(input, ...ALGORITHM, 'searchTrialSpec', 'maxFailedTrialCount');
  const metricId = getString(input, ...ALGORITHM, 'metric', 'metricId');
  const goal = getString(input, ...ALGORITHM, 'metric', 'goal');
  const train = getObject(input, ...ALGORITHM, 'trainTrialSpec');
  const budget: TrialBudget = {
    maxTrials,
    maxParallel: Math.max(1, getNumber(input, ...ALGORITHM, 'searchTrialSpec', 'maxParallelTrialCount')),
    // 0 lets Vertex choose the tolerance; the simulator tolerates a fifth of the trials.
    maxFailed: maxFailed > 0 ? maxFailed : Math.max(1, Math.ceil(maxTrials / 5)),
    metricId: metricId || resumed?.budget.metricId || 'accuracy',
    maximize: goal ? goal !== 'MINIMIZE' : (resumed?.budget.maximize ?? true),
  };
  if (train) {
    budget.train = {topN: Math.max(1, getNumber(train, 'maxParallelTrialCount')), frequency: Math.max(1, getNumber(train, 'frequency'))};
  }
  return budget;
}

/** Accelerators a job would hold at full parallelism, per accelerator type. */
export function acceleratorDemand(input: JsonObject, budget: TrialBudget): Record<string, number> {
  const demand: Record<string, number> = {};
  const add = (jobSpec: JsonObject | undefined, parallel: number): void => {
    const pools = jobSpec?.workerPoolSpecs;
    if (!Array.isArray(pools)) return;
    for (const pool of pools) {
      const type = getString(pool, 'machineSpec', 'acceleratorType');
      const count = getNumber(pool, 'machineSpec', 'acceleratorCount');
      const replicas = getNumber(pool, 'replicaCount') || 1;
      if (type && count > 0) demand[type] = (demand[type] ?? 0) + count * replicas * parallel;
    }
  };
  add(getObject(input, ...ALGORITHM, 'searchTrialSpec', 'searchTrialJobSpec'), budget.maxParallel);
  if (budget.train) add(getObject(input, ...ALGORITHM, 'trainTrialSpec', 'trainTrialJobSpec'), budget.train.topN);
  return demand;
}

export interface NewJob {
  target: Target;
  input: JsonObject;
  budget: TrialBudget;
  createTime: SimTime;
  /** Overrides the scenario mix for this job (jobs:seed); otherwise the current config's. */
  scenarioMix?: SimConfig['scenarioMix'];
}

/** Creates, registers and schedules a job; returns the record. */
export function createJob(sim: SimState, {target, input, budget, createTime, scenarioMix}: NewJob): JobRecord {
  const id = sim.jobIds.next();
  const labels = (getObject(input, 'labels') ?? {}) as Record<string, string>;
  const rng = createRng(sim.options.seed, 'job', id);
  const state = sim.options.initialState;
  const job: JobRecord = {
    seq: sim.nextSeq++,
    id,
    name: `projects/${target.projectNumber}/locations/${target.location}/nasJobs/${id}`,
    targetKey: target.key,
    location: target.location,
    input,
    displayName: getString(input, 'displayName'),
    labels,
    state,
    createTime,
    updateTime: createTime,
    states: [{state, time: createTime}],
    deleted: false,
    cancelRequests: [],
    plan: drawPlan(rng, scenarioMix ? {...sim.config, scenarioMix} : sim.config, {labels, maximize: budget.maximize, maxTrials: budget.maxTrials}),
    budget,
    rng,
    events: new EventQueue<JobEvent>(),
    search: [],
    train: [],
    running: new Set(),
    failedSearch: 0,
    finishedSearch: 0,
    accelerators: acceleratorDemand(input, budget),
  };
  sim.store.add(job);
  scheduleLifecycle(job);
  return job;
}
