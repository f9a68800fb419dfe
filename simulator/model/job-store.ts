// All jobs and operations, grouped by (project number, location). Deleted jobs leave the live maps
// but stay in `history` so GET /simulator/history can still tell their story.
import type {SimTime} from '../proto/time-format.js';
import type {JsonObject} from '../proto/normalize-input.js';
import type {JobRecord} from './job-record.js';

export interface Target {
  key: string;
  projectNumber: string;
  location: string;
  jobs: Map<string, JobRecord>;
  /** Live jobs in list order; rebuilt lazily after a create or delete. */
  sorted: JobRecord[] | undefined;
  operations: Map<string, JsonObject>;
}

export interface ListKey {
  createTime: SimTime;
  name: string;
}

/** nasJobs.list order: newest first, then by name so equal create times stay stable. */
export function compareListOrder(a: ListKey, b: ListKey): number {
  if (a.createTime !== b.createTime) return b.createTime - a.createTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function targetKeyOf(projectNumber: string, location: string): string {
  return `${projectNumber}/${location}`;
}

export class JobStore {
  private readonly targets = new Map<string, Target>();
  /** Every job ever created, in creation order, deleted ones included. */
  readonly history: JobRecord[] = [];

  target(projectNumber: string, location: string): Target {
    const key = targetKeyOf(projectNumber, location);
    let target = this.targets.get(key);
    if (!target) {
      target = {key, projectNumber, location, jobs: new Map(), sorted: undefined, operations: new Map()};
      this.targets.set(key, target);
    }
    return target;
  }

  /** The target if it has ever been used, without creating it. */
  findTarget(projectNumber: string, location: string): Target | undefined {
    return this.targets.get(targetKeyOf(projectNumber, location));
  }

  allTargets(): IterableIterator<Target> {
    return this.targets.values();
  }

  add(job: JobRecord): void {
    const target = this.targets.get(job.targetKey);
    if (!target) throw new Error(`unknown target ${job.targetKey}`);
    target.jobs.set(job.id, job);
    target.sorted = undefined;
    this.history.push(job);
  }

  remove(job: JobRecord, t: SimTime): void {
    const target = this.targets.get(job.targetKey);
    target?.jobs.delete(job.id);
    if (target) target.sorted = undefined;
    job.deleted = true;
    job.deleteTime = t;
    job.events.clear();
  }

  sortedJobs(target: Target): readonly JobRecord[] {
    target.sorted ??= [...target.jobs.values()].sort(compareListOrder);
    return target.sorted;
  }
}
