// Vertex's two request quotas per project and region: resource-management reads (600/min by default;
// get, list, trial details, operations and, by inference, cancel) and job submissions (60/min; create
// and delete). The metric names are the simulator's own: Vertex's exact names are unconfirmed.
import {ApiError} from '../http/rpc-error.js';
import {errorInfoDetail, quotaFailureDetail, retryInfoDetail} from '../http/error-details.js';
import {TokenBucket} from './token-bucket.js';

export type QuotaKind = 'read' | 'write';

const METRICS: Record<QuotaKind, {metric: string; limit: string; title: string}> = {
  read: {
    metric: 'aiplatform.googleapis.com/resource_management_requests',
    limit: 'ResourceManagementRequestsPerMinutePerProjectPerRegion',
    title: 'Resource management (CRUD) requests',
  },
  write: {
    metric: 'aiplatform.googleapis.com/job_submission_requests',
    limit: 'JobSubmissionRequestsPerMinutePerProjectPerRegion',
    title: 'Job or LRO submission requests',
  },
};

export interface QuotaLimits {
  readsPerMinute: number;
  writesPerMinute: number;
}

export class RequestQuota {
  private buckets = new Map<string, TokenBucket>();

  constructor(private limits: QuotaLimits) {}

  get current(): QuotaLimits {
    return {...this.limits};
  }

  /** Changes limits and refills every bucket, so a test starts from a known point. */
  setLimits(limits: QuotaLimits): void {
    this.limits = limits;
    this.buckets.clear();
  }

  /** Takes one request from the (project, location) bucket or throws 429 RESOURCE_EXHAUSTED. */
  charge(kind: QuotaKind, projectNumber: string, location: string): void {
    const key = `${projectNumber}/${location}/${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(kind === 'read' ? this.limits.readsPerMinute : this.limits.writesPerMinute);
      this.buckets.set(key, bucket);
    }
    const result = bucket.take();
    if (!result.ok) throw quotaExceeded(kind, projectNumber, location, result.retryAfterSeconds);
  }
}

function quotaExceeded(kind: QuotaKind, projectNumber: string, location: string, retryAfterSeconds: number): ApiError {
  const {metric, limit, title} = METRICS[kind];
  const consumer = `projects/${projectNumber}`;
  const message =
    `Quota exceeded for quota metric '${title}' and limit '${title} per minute per region' of service ` +
    `'aiplatform.googleapis.com' for consumer 'project_number:${projectNumber}'.`;
  return new ApiError('RESOURCE_EXHAUSTED', message, [
    errorInfoDetail('RATE_LIMIT_EXCEEDED', {quota_metric: metric, quota_limit: limit, quota_location: location, consumer}),
    quotaFailureDetail(consumer, `${metric} exceeded in ${location}`),
    retryInfoDetail(retryAfterSeconds),
  ]);
}
