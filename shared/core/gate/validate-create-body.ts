import type {FieldViolation} from '../vertex/error-details.js';
import {isJsonObject} from '../vertex/json-fields.js';
import {snakeCaseOf} from '../vertex/json-message.js';
import type {NasJobDraft} from '../vertex/nas-job.js';
import {decodeNasJob} from '../vertex/parse-nas-job.js';
import {CREATE_BODY_RULES} from './create-body-schema.js';
import {invalidArgument} from './gate-errors.js';
import {labelViolations} from './labels.js';
import {checkMessage, memberPath} from './strict-json.js';

/** At most this many field violations go into one response; the message gives the total. */
export const MAX_REPORTED_VIOLATIONS = 100;

type Json = Readonly<Record<string, unknown>>;

/**
 * Every problem of a create body, each at its JSON path (`nasJobSpec.multiTrialAlgorithmSpec.…`):
 * shape and types first, then the rules that span members. Empty when the body is a valid NasJob.
 */
export function checkCreateBody(body: unknown): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (!isJsonObject(body)) return [{field: '', description: 'the request body must be a JSON object (a NasJob)'}];
  checkMessage(body, CREATE_BODY_RULES, '', out);
  const root: Member = {value: body, path: ''};
  const labels = get(root, 'labels');
  if (isJsonObject(labels.value)) out.push(...labelViolations(stringEntries(labels.value), labels.path));
  const spec = get(root, 'nasJobSpec');
  const algorithm = get(spec, 'multiTrialAlgorithmSpec');
  if (isJsonObject(algorithm.value)) {
    const resuming = get(spec, 'resumeNasJobId').value;
    if (get(algorithm, 'metric').value == null && (resuming == null || resuming === '')) {
      out.push({field: `${algorithm.path}.metric`, description: 'required field is missing (it may be omitted only with resumeNasJobId)'});
    }
    const search = get(algorithm, 'searchTrialSpec');
    checkTrialCounts(search, out);
    checkJobSpec(get(search, 'searchTrialJobSpec'), out);
    checkJobSpec(get(get(algorithm, 'trainTrialSpec'), 'trainTrialJobSpec'), out);
  }
  return out;
}

/** The create body as a NasJobDraft; throws a 400 GateError listing every problem at once. */
export function parseCreateBody(body: unknown): NasJobDraft {
  const violations = checkCreateBody(body);
  if (violations.length > 0) throw invalidBody(violations);
  // The body is now known to be a valid NasJob without output-only members; decoding it with the
  // shared decoder (which needs a name) gives the same model values the rest of nasmon uses.
  const job = decodeNasJob({...(body as Json), name: 'projects/-/locations/-/nasJobs/0'}, '$');
  return {
    displayName: job.displayName,
    nasJobSpec: job.nasJobSpec ?? {},
    labels: job.labels,
    ...(job.encryptionSpec === undefined ? {} : {encryptionSpec: job.encryptionSpec}),
    ...(job.enableRestrictedImageTraining === undefined ? {} : {enableRestrictedImageTraining: job.enableRestrictedImageTraining}),
  };
}

function invalidBody(violations: readonly FieldViolation[]): Error {
  const [first] = violations;
  const more = violations.length - 1;
  const head = `${first?.field || 'body'}: ${first?.description ?? ''}`;
  const message = `invalid NasJob: ${head}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'}, listed in details)` : ''}`;
  return invalidArgument(message, violations.slice(0, MAX_REPORTED_VIOLATIONS), 'INVALID_NAS_JOB');
}

function checkTrialCounts(search: Member, out: FieldViolation[]): void {
  const max = integer(get(search, 'maxTrialCount').value);
  if (max === undefined) return;
  for (const key of ['maxParallelTrialCount', 'maxFailedTrialCount']) {
    const count = get(search, key);
    const value = integer(count.value);
    if (value !== undefined && value > max) out.push({field: count.path, description: `must not exceed maxTrialCount (${max}), got ${value}`});
  }
}

// Pool 0 is the chief and must run something; later pools may be {} to skip them (CustomJobSpec docs).
function checkJobSpec(jobSpec: Member, out: FieldViolation[]): void {
  const pools = get(jobSpec, 'workerPoolSpecs');
  if (!Array.isArray(pools.value)) return;
  pools.value.forEach((pool: unknown, index: number) => {
    const path = `${pools.path}[${index}]`;
    if (!isJsonObject(pool)) return;
    const at = {value: pool, path};
    if (Object.keys(pool).length === 0) {
      if (index === 0) out.push({field: path, description: 'the first worker pool (the chief) must not be empty'});
      return;
    }
    const runs = ['containerSpec', 'pythonPackageSpec'].filter(key => get(at, key).value != null);
    if (runs.length !== 1) out.push({field: path, description: 'exactly one of containerSpec and pythonPackageSpec must be set'});
    const machine = get(at, 'machineSpec');
    if (machine.value == null) out.push({field: `${path}.machineSpec`, description: 'required field is missing'});
    checkAccelerators(machine, out);
  });
}

function checkAccelerators(machine: Member, out: FieldViolation[]): void {
  const type = get(machine, 'acceleratorType').value;
  const count = get(machine, 'acceleratorCount');
  const hasType = type != null && type !== 'ACCELERATOR_TYPE_UNSPECIFIED' && type !== 0;
  const n = integer(count.value) ?? 0;
  if (hasType && n === 0) out.push({field: count.path, description: 'must be at least 1 when acceleratorType is set'});
  if (!hasType && n > 0) out.push({field: `${machine.path}.acceleratorType`, description: 'required when acceleratorCount is set'});
}

interface Member {
  readonly value: unknown;
  readonly path: string;
}

// A member by its camelCase or snake_case spelling, with the path spelled as sent.
function get(parent: Member, key: string): Member {
  const object = parent.value;
  if (!isJsonObject(object)) return {value: undefined, path: memberPath(parent.path, key)};
  const spelled = [key, snakeCaseOf(key)].find(k => Object.hasOwn(object, k) && object[k] != null) ?? key;
  return {value: object[spelled], path: memberPath(parent.path, spelled)};
}

function integer(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

function stringEntries(object: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(object).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
