import {describe, expect, it} from 'vitest';
import {projectAcceleratorHours, projectAcceleratorHoursByStage} from '../../../../shared/core/policy/index.js';
import type {CustomJobSpec, NasJobDraft, WorkerPoolSpec} from '../../../../shared/core/vertex/index.js';
import {aNasJobDraft} from '../../../factories.js';

const CONTAINER = {imageUri: 'us-central1-docker.pkg.dev/p/nas/trainer:1'};

function pool(machineType: string, acceleratorType: string | undefined, acceleratorCount: number | undefined, replicaCount?: string): WorkerPoolSpec {
  return {
    containerSpec: CONTAINER,
    machineSpec: {machineType, ...(acceleratorType ? {acceleratorType: acceleratorType as 'NVIDIA_L4'} : {}), ...(acceleratorCount === undefined ? {} : {acceleratorCount})},
    ...(replicaCount === undefined ? {} : {replicaCount}),
  };
}

function jobSpec(pools: WorkerPoolSpec[], timeout?: string): CustomJobSpec {
  return {workerPoolSpecs: pools, ...(timeout ? {scheduling: {timeout}} : {})};
}

function nasJob(search: {maxTrialCount: number; spec: CustomJobSpec}, train?: {maxParallelTrialCount: number; frequency: number; spec: CustomJobSpec}): NasJobDraft {
  return {
    displayName: 'job',
    nasJobSpec: {
      multiTrialAlgorithmSpec: {
        metric: {metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
        searchTrialSpec: {maxTrialCount: search.maxTrialCount, maxParallelTrialCount: 10, searchTrialJobSpec: search.spec},
        ...(train ? {trainTrialSpec: {maxParallelTrialCount: train.maxParallelTrialCount, frequency: train.frequency, trainTrialJobSpec: train.spec}} : {}),
      },
    },
  };
}

describe('projectAcceleratorHours', () => {
  it('bounds the reference create body: 2000 trials × 2 T4 × 14 days', () => {
    const job = nasJob({maxTrialCount: 2000, spec: jobSpec([pool('n1-standard-16', 'NVIDIA_TESLA_T4', 2, '1')], '1209600s')});

    expect(projectAcceleratorHours(job)).toBe(2000 * 2 * 336);
  });

  it('adds a train stage: maxParallelTrialCount × ceil(maxTrialCount / frequency) trials', () => {
    const job = nasJob(
      {maxTrialCount: 500, spec: jobSpec([pool('a2-highgpu-4g', 'NVIDIA_TESLA_A100', 4, '2')], '7200s')},
      {maxParallelTrialCount: 10, frequency: 100, spec: jobSpec([
        pool('a2-highgpu-8g', 'NVIDIA_TESLA_A100', 8, '1'),
        pool('a2-highgpu-8g', 'NVIDIA_TESLA_A100', 8, '3'),
      ], '43200s')},
    );

    expect(projectAcceleratorHoursByStage(job)).toEqual({
      search: {trials: 500, acceleratorsPerTrial: 8, timeoutHours: 2, hours: 8000},
      train: {trials: 50, acceleratorsPerTrial: 32, timeoutHours: 12, hours: 19_200},
      total: 27_200,
    });
  });

  it('rounds the number of train rounds up (an upper bound)', () => {
    const job = nasJob(
      {maxTrialCount: 501, spec: jobSpec([pool('g2-standard-8', 'NVIDIA_L4', 1)], '3600s')},
      {maxParallelTrialCount: 2, frequency: 100, spec: jobSpec([pool('g2-standard-8', 'NVIDIA_L4', 1)], '3600s')},
    );

    expect(projectAcceleratorHoursByStage(job).train.trials).toBe(2 * 6);
  });

  it('uses 7 days per trial when scheduling.timeout is absent, or the default given', () => {
    const job = aNasJobDraft(); // 20 trials × 1 T4, no timeout

    expect(projectAcceleratorHours(job)).toBe(20 * 168);
    expect(projectAcceleratorHours(job, 3600)).toBe(20);
  });

  it.each([
    ['a CPU-only job', pool('n1-standard-8', undefined, undefined), 0],
    ['UNSPECIFIED accelerators', pool('n1-standard-8', 'ACCELERATOR_TYPE_UNSPECIFIED', 4), 0],
    ['an accelerator type without a count (counted as 1)', pool('g2-standard-8', 'NVIDIA_L4', undefined), 10],
    ['an absent replicaCount (counted as 1)', pool('g2-standard-8', 'NVIDIA_L4', 2), 20],
    ['a replicaCount of 4', pool('g2-standard-8', 'NVIDIA_L4', 2, '4'), 80],
  ])('counts %s', (_, workerPool, hours) => {
    expect(projectAcceleratorHours(nasJob({maxTrialCount: 10, spec: jobSpec([workerPool, {}], '3600s')}))).toBe(hours);
  });

  it('counts nothing for a job without trial specs (a resume body)', () => {
    expect(projectAcceleratorHours({displayName: 'resume', nasJobSpec: {resumeNasJobId: '123'}})).toBe(0);
  });

  it('is NaN when a count or timeout is malformed, so the rule fails closed', () => {
    const job = nasJob({maxTrialCount: 10, spec: jobSpec([pool('g2-standard-8', 'NVIDIA_L4', 1)], 'forever')});

    expect(projectAcceleratorHours(job)).toBeNaN();
  });
});
