// Allocation quotas on accelerators ("Custom model training Nvidia T4 GPUs per region"). A create that
// would push the accelerators held by non-terminal jobs past the admin-set limit gets a 429 that
// retrying cannot fix, so unlike the request quotas it carries no RetryInfo.
import {isTerminalState} from '../proto/enums.js';
import {ApiError} from '../http/rpc-error.js';
import {errorInfoDetail, quotaFailureDetail} from '../http/error-details.js';
import type {Target} from '../model/job-store.js';

/** `NVIDIA_TESLA_T4` → `aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus`. */
export function acceleratorMetric(type: string): string {
  const unit = type.startsWith('TPU') ? 'cores' : 'gpus';
  return `aiplatform.googleapis.com/custom_model_training_${type.toLowerCase().replace('_tesla_', '_')}_${unit}`;
}

export class AcceleratorQuota {
  private readonly limits = new Map<string, number>();

  set(projectNumber: string, location: string, type: string, limit: number): void {
    this.limits.set(`${projectNumber}/${location}/${type}`, limit);
  }

  /** Throws 429 when `demand` on top of what `target`'s live jobs hold exceeds a configured limit. */
  check(target: Target, demand: Readonly<Record<string, number>>): void {
    const exceeded = Object.entries(demand).filter(([type, count]) => {
      const limit = this.limits.get(`${target.projectNumber}/${target.location}/${type}`);
      return limit !== undefined && inUse(target, type) + count > limit;
    });
    if (exceeded.length === 0) return;
    const metrics = exceeded.map(([type]) => acceleratorMetric(type));
    const consumer = `projects/${target.projectNumber}`;
    throw new ApiError('RESOURCE_EXHAUSTED', `The following quota metrics exceed quota limits: ${metrics.join(', ')}`, [
      errorInfoDetail('QUOTA_EXCEEDED', {quota_metric: metrics.join(','), quota_location: target.location, consumer}),
      ...metrics.map(metric => quotaFailureDetail(consumer, `${metric} in ${target.location}`)),
    ]);
  }
}

function inUse(target: Target, type: string): number {
  let total = 0;
  for (const job of target.jobs.values()) if (!isTerminalState(job.state)) total += job.accelerators[type] ?? 0;
  return total;
}
