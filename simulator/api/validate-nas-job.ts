// Semantic checks on a create body (after JSON-level normalisation): the REQUIRED members of the
// protos, the label rules shared by all of Google Cloud, and the simulator's steering labels.
// Every problem is reported, each with its proto path, as Vertex does.
import {CANCEL_LABEL, isCancelOutcome, isScenario, SCENARIO_LABEL} from '../model/job-plan.js';
import {CANCEL_OUTCOMES, SCENARIOS} from '../model/sim-config.js';
import {getObject} from '../proto/json-path.js';
import {isPlainObject, type JsonObject, type Violation} from '../proto/normalize-input.js';

const REQUIRED = 'Required field is not set.';
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{Nd}_-]*$/u;
const MAX_LABEL_LENGTH = 63;
const MAX_LABELS = 64;

export interface ValidationContext {
  present: ReadonlySet<string>;
  /** Whether `resumeNasJobId` names a job in the same project and location. */
  resumableJobExists(id: string): boolean;
}

export function validateNasJob(job: JsonObject, ctx: ValidationContext): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, description: string): void => void out.push({field: `nas_job.${field}`, description});
  const displayName = typeof job.displayName === 'string' ? job.displayName : '';
  if (displayName === '') add('display_name', REQUIRED);
  else if ([...displayName].length > 128) add('display_name', 'The display name must be at most 128 characters long.');
  checkSpec(getObject(job, 'nasJobSpec'), ctx, add);
  checkLabels(getObject(job, 'labels') ?? {}, add);
  const encryption = getObject(job, 'encryptionSpec');
  if (encryption && !encryption.kmsKeyName) add('encryption_spec.kms_key_name', REQUIRED);
  return out;
}

type Add = (field: string, description: string) => void;

function checkSpec(spec: JsonObject | undefined, ctx: ValidationContext, add: Add): void {
  if (!spec) return add('nas_job_spec', REQUIRED);
  const resumeId = typeof spec.resumeNasJobId === 'string' ? spec.resumeNasJobId : '';
  if (resumeId && !ctx.resumableJobExists(resumeId)) {
    add('nas_job_spec.resume_nas_job_id', `NasJob ${resumeId} to resume was not found in this project and location.`);
  }
  const algorithm = getObject(spec, 'multiTrialAlgorithmSpec');
  if (!algorithm) return add('nas_job_spec.multi_trial_algorithm_spec', REQUIRED);
  const base = 'nas_job_spec.multi_trial_algorithm_spec';
  if (!resumeId) checkMetric(getObject(algorithm, 'metric'), `${base}.metric`, add);
  checkSearchTrialSpec(getObject(algorithm, 'searchTrialSpec'), `${base}.search_trial_spec`, ctx, add);
  const train = getObject(algorithm, 'trainTrialSpec');
  if (train) checkTrainTrialSpec(train, `${base}.train_trial_spec`, add);
}

function checkMetric(metric: JsonObject | undefined, path: string, add: Add): void {
  if (!metric) return add(path, REQUIRED);
  const metricId = typeof metric.metricId === 'string' ? metric.metricId : '';
  if (metricId === '') add(`${path}.metric_id`, REQUIRED);
  else if (/\s/.test(metricId)) add(`${path}.metric_id`, 'The metric id must not contain whitespace.');
  if (metric.goal === undefined) add(`${path}.goal`, REQUIRED);
}

function checkSearchTrialSpec(spec: JsonObject | undefined, path: string, ctx: ValidationContext, add: Add): void {
  if (!spec) return add(path, REQUIRED);
  checkJobSpec(getObject(spec, 'searchTrialJobSpec'), `${path}.search_trial_job_spec`, add);
  for (const [camel, snake] of [['maxTrialCount', 'max_trial_count'], ['maxParallelTrialCount', 'max_parallel_trial_count']]) {
    if (!ctx.present.has(`nas_job.${path}.${snake}`)) add(`${path}.${snake}`, REQUIRED);
    else checkNotNegative(spec[camel!], `${path}.${snake}`, add);
  }
  checkNotNegative(spec.maxFailedTrialCount, `${path}.max_failed_trial_count`, add);
}

function checkTrainTrialSpec(spec: JsonObject, path: string, add: Add): void {
  checkJobSpec(getObject(spec, 'trainTrialJobSpec'), `${path}.train_trial_job_spec`, add);
  if (!(Number(spec.maxParallelTrialCount) > 0)) add(`${path}.max_parallel_trial_count`, 'Must be a positive number.');
  if (!(Number(spec.frequency) > 0)) add(`${path}.frequency`, 'Must be a positive number.');
}

function checkNotNegative(value: unknown, path: string, add: Add): void {
  if (typeof value === 'number' && value < 0) add(path, 'Must not be negative.');
}

/** CustomJobSpec essentials: pool 0 is the chief; later pools may be `{}` to skip them. */
function checkJobSpec(spec: JsonObject | undefined, path: string, add: Add): void {
  if (!spec) return add(path, REQUIRED);
  const pools = Array.isArray(spec.workerPoolSpecs) ? spec.workerPoolSpecs : [];
  if (pools.length === 0) return add(`${path}.worker_pool_specs`, REQUIRED);
  pools.forEach((pool, i) => {
    if (!isPlainObject(pool) || (i > 0 && Object.keys(pool).length === 0)) return;
    checkWorkerPool(pool, `${path}.worker_pool_specs[${i}]`, add);
  });
}

function checkWorkerPool(pool: JsonObject, path: string, add: Add): void {
  const machine = getObject(pool, 'machineSpec');
  if (!machine?.machineType) add(`${path}.machine_spec.machine_type`, REQUIRED);
  if (machine && Number(machine.acceleratorCount) > 0 && machine.acceleratorType === undefined) {
    add(`${path}.machine_spec.accelerator_type`, 'An accelerator type is required when accelerator_count is set.');
  }
  const container = getObject(pool, 'containerSpec');
  const python = getObject(pool, 'pythonPackageSpec');
  if (container && python) add(path, 'Only one of container_spec and python_package_spec may be set.');
  else if (!container && !python) add(`${path}.container_spec`, 'One of container_spec or python_package_spec is required.');
  if (container && !container.imageUri) add(`${path}.container_spec.image_uri`, REQUIRED);
  if (python) {
    if (!python.executorImageUri) add(`${path}.python_package_spec.executor_image_uri`, REQUIRED);
    if (!Array.isArray(python.packageUris)) add(`${path}.python_package_spec.package_uris`, REQUIRED);
    else if (python.packageUris.length > 100) add(`${path}.python_package_spec.package_uris`, 'At most 100 package URIs are allowed.');
    if (!python.pythonModule) add(`${path}.python_package_spec.python_module`, REQUIRED);
  }
  for (const [spec, name] of [[container, 'container_spec'], [python, 'python_package_spec']] as const) {
    if (Array.isArray(spec?.env) && spec.env.length > 100) add(`${path}.${name}.env`, 'At most 100 environment variables are allowed.');
  }
}

function checkLabels(labels: JsonObject, add: Add): void {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) add('labels', `At most ${MAX_LABELS} labels are allowed; got ${entries.length}.`);
  for (const [key, value] of entries) {
    const text = String(value);
    if ([...key].length > MAX_LABEL_LENGTH || !LABEL_KEY.test(key)) {
      add(`labels[${key}]`, `Label keys must start with a lowercase letter, contain only lowercase letters, digits, "_" and "-", and be at most ${MAX_LABEL_LENGTH} characters.`);
    }
    if ([...text].length > MAX_LABEL_LENGTH || !LABEL_VALUE.test(text)) {
      add(`labels[${key}]`, `Label values may contain only lowercase letters, digits, "_" and "-", and be at most ${MAX_LABEL_LENGTH} characters.`);
    }
  }
  const scenario = labels[SCENARIO_LABEL];
  if (typeof scenario === 'string' && !isScenario(scenario)) add(`labels[${SCENARIO_LABEL}]`, `Simulator scenario must be one of ${SCENARIOS.join(', ')}.`);
  const cancel = labels[CANCEL_LABEL];
  if (typeof cancel === 'string' && !isCancelOutcome(cancel)) add(`labels[${CANCEL_LABEL}]`, `Simulator cancel outcome must be one of ${CANCEL_OUTCOMES.join(', ')}.`);
}
