import type {NasJobDraft} from '../vertex/index.js';
import {ACCELERATOR_TYPE, enumName, isUnknownEnum} from '../vertex/index.js';
import {TEAM_LABEL, type Stage} from './policy.js';

// Defensive reads of a submitted job. The gate decodes the body before asking the policy, but the
// engine must not crash (or be fooled into allowing) on a shape the types do not promise, so every
// read here checks what it finds.

/** A plain JSON object, or undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value at `key` of `value` when it is an object (own properties only). */
export function field(value: unknown, key: string): unknown {
  const record = asRecord(value);
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The key of each stage's trial spec and of its CustomJobSpec inside it. */
export const STAGE_KEYS: Readonly<Record<Stage, {spec: string; jobSpec: string}>> = {
  search: {spec: 'searchTrialSpec', jobSpec: 'searchTrialJobSpec'},
  train: {spec: 'trainTrialSpec', jobSpec: 'trainTrialJobSpec'},
};

/** The JSON path segments of a stage's trial spec. */
export function stagePath(stage: Stage): string[] {
  return ['nasJobSpec', 'multiTrialAlgorithmSpec', STAGE_KEYS[stage].spec];
}

/** A stage's trial spec (SearchTrialSpec / TrainTrialSpec), when present. */
export function stageSpec(job: NasJobDraft, stage: Stage): Readonly<Record<string, unknown>> | undefined {
  return asRecord(field(field(field(job, 'nasJobSpec'), 'multiTrialAlgorithmSpec'), STAGE_KEYS[stage].spec));
}

/** A stage's CustomJobSpec, when present. */
export function stageJobSpec(job: NasJobDraft, stage: Stage): Readonly<Record<string, unknown>> | undefined {
  return asRecord(field(stageSpec(job, stage), STAGE_KEYS[stage].jobSpec));
}

/** One worker pool with a machineSpec, as read for the rules. */
export interface PoolView {
  readonly stage: Stage;
  /** Dotted path of the pool, e.g. `nasJobSpec.….workerPoolSpecs[0]`. */
  readonly path: string;
  readonly machineType: unknown;
  /** The accelerator name, `undefined` when none (absent or UNSPECIFIED). */
  readonly acceleratorType: string | undefined;
  readonly acceleratorCount: unknown;
  readonly replicaCount: unknown;
}

/** Every worker pool of both stages that has a machineSpec (an empty pool `{}` is skipped, as Vertex does). */
export function workerPools(job: NasJobDraft): PoolView[] {
  const pools: PoolView[] = [];
  for (const stage of ['search', 'train'] as const) {
    const specs = field(stageJobSpec(job, stage), 'workerPoolSpecs');
    if (!Array.isArray(specs)) continue;
    specs.forEach((pool: unknown, index) => {
      const machine = asRecord(field(pool, 'machineSpec'));
      if (!machine) return;
      pools.push({
        stage,
        path: `${[...stagePath(stage), STAGE_KEYS[stage].jobSpec].join('.')}.workerPoolSpecs[${index}]`,
        machineType: machine.machineType,
        acceleratorType: acceleratorName(machine.acceleratorType),
        acceleratorCount: machine.acceleratorCount,
        replicaCount: field(pool, 'replicaCount'),
      });
    });
  }
  return pools;
}

function acceleratorName(value: unknown): string | undefined {
  if (value === undefined || value === null || value === 'ACCELERATOR_TYPE_UNSPECIFIED' || value === 0) return undefined;
  if (typeof value === 'string') return value;
  if (isUnknownEnum(value)) return enumName(value);
  // A numeric enum (`enum-encoding=int`) that was not decoded.
  if (typeof value === 'number') return ACCELERATOR_TYPE.nameOf.get(value) ?? String(value);
  return String(value);
}

/** The job's labels as strings; a malformed labels field reads as no labels. */
export function labelsOf(job: NasJobDraft): Readonly<Record<string, string>> {
  const labels = asRecord(field(job, 'labels'));
  if (!labels) return {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The job's `team` label, when it is a string. */
export function teamLabelOf(job: NasJobDraft): string | undefined {
  const team = field(field(job, 'labels'), TEAM_LABEL);
  return typeof team === 'string' ? team : undefined;
}

/** A count as Vertex reads it: a JSON number, or an int64/int32 as a decimal string; NaN otherwise. */
export function toCount(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return Number(value);
  return Number.NaN;
}
