// POST /simulator/jobs:seed: creates many plausible jobs at once for demos and benchmarks, bypassing
// request and accelerator quotas. `ageSeconds` spreads their create times over the past, so they
// arrive already part-way through their lifecycles.
import {createJob, readTrialBudget} from '../model/create-job.js';
import {advanceJob} from '../model/lifecycle.js';
import {createRng, type Rng} from '../model/prng.js';
import {isPlainObject, normalizeMessage, type JsonObject} from '../proto/normalize-input.js';
import {secondsToMicros} from '../proto/time-format.js';
import type {SimState} from '../sim-state.js';
import {validateNasJob} from '../api/validate-nas-job.js';
import {BodyReader} from './body-reader.js';
import {readScenarioMix} from './scenario-mix.js';

const FIELDS = ['project', 'location', 'count', 'scenarioMix', 'displayNamePrefix', 'labels', 'maxTrialCount', 'maxParallelTrialCount', 'ageSeconds'];

export function seedJobs(body: unknown, sim: SimState): {names: string[]} {
  const reader = new BodyReader(body, FIELDS);
  const project = reader.string('project', true);
  const location = reader.string('location', true);
  const count = reader.number('count', {required: true, min: 1, max: 20_000, integer: true}) ?? 0;
  const scenarioMix = readScenarioMix(reader, 'scenarioMix');
  const prefix = reader.string('displayNamePrefix') ?? 'seeded-search';
  const maxTrials = reader.number('maxTrialCount', {min: 0, max: 10_000, integer: true});
  const maxParallel = reader.number('maxParallelTrialCount', {min: 1, max: 1_000, integer: true});
  const ageSeconds = reader.number('ageSeconds', {min: 0, max: 365 * 86400}) ?? 0;
  const labels = reader.raw('labels');
  if (labels !== undefined && !isPlainObject(labels)) reader.fail('labels', '"labels" must be an object of strings.');
  reader.done();

  const target = sim.store.target(sim.projectNumber(project!), location!);
  const now = sim.clock.now();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const rng = createRng(sim.options.seed, 'seed-jobs', sim.nextSeq);
    const draft = draftJob(rng, `${prefix}-${i + 1}`, {labels, maxTrials, maxParallel});
    const {value, present, violations} = normalizeMessage(draft, 'NasJob', 'nas_job');
    violations.push(...validateNasJob(value, {present, resumableJobExists: () => false}));
    for (const v of violations) reader.fail(v.field.replace(/^nas_job\./, ''), v.description);
    reader.done();
    const createTime = now - Math.round(secondsToMicros(ageSeconds) * ((count - 1 - i) / count));
    const job = createJob(sim, {target, input: value, budget: readTrialBudget(value), createTime, ...(scenarioMix && {scenarioMix})});
    advanceJob(job, now);
    names.push(job.name);
  }
  return {names};
}

interface DraftOptions {
  labels: unknown;
  maxTrials: number | undefined;
  maxParallel: number | undefined;
}

/** A create body like the ones Google's NAS CLI sends: one chief pool, a T4, a container trainer. */
function draftJob(rng: Rng, displayName: string, options: DraftOptions): JsonObject {
  const maxTrialCount = options.maxTrials ?? rng.int(8, 30);
  const maximize = rng.chance(0.75);
  return {
    displayName,
    labels: options.labels ?? {team: ['vision', 'speech', 'ranking'][rng.int(0, 2)]},
    nasJobSpec: {
      searchSpaceSpec: '{"model_type":"mnasnet"}',
      multiTrialAlgorithmSpec: {
        multiTrialAlgorithm: 'REINFORCEMENT_LEARNING',
        metric: maximize ? {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'} : {metricId: 'loss', goal: 'MINIMIZE'},
        searchTrialSpec: {
          maxTrialCount,
          maxParallelTrialCount: options.maxParallel ?? rng.int(2, 5),
          maxFailedTrialCount: Math.max(1, Math.ceil(maxTrialCount / 5)),
          searchTrialJobSpec: {
            workerPoolSpecs: [{
              machineSpec: {machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1},
              replicaCount: '1',
              containerSpec: {imageUri: 'us-docker.pkg.dev/demo/nas/trainer:latest', args: ['--num_epochs=5']},
            }],
            baseOutputDirectory: {outputUriPrefix: `gs://demo-nas/${displayName}`},
          },
        },
      },
    },
  };
}
