import {describe, expect, it} from 'vitest';
import {APPEARANCE_SHARE, planWorkload, SOAK_TARGETS} from '../../../../scripts/soak/plan.js';

describe('planWorkload', () => {
  const options = {jobs: 2000, targets: 4, callers: 4, durationMs: 600_000, gateShare: 0.3, seed: 1};
  const plan = planWorkload(options);

  it('draws the same plan from the same seed, and another from another seed', () => {
    expect(planWorkload(options)).toEqual(plan);
    expect(planWorkload({...options, seed: 2})).not.toEqual(plan);
  });

  it('spreads the jobs over the first part of the run, in order, over every target', () => {
    expect(plan).toHaveLength(2000);
    expect(plan.every((job, i) => i === 0 || job.atMs >= plan[i - 1]!.atMs)).toBe(true);
    expect(plan.at(-1)!.atMs).toBeLessThanOrEqual(600_000 * APPEARANCE_SHARE);
    expect(new Set(plan.map(job => `${job.target.project}/${job.target.location}`)).size).toBe(SOAK_TARGETS.length);
  });

  it('sends about the gate share through the gate, with cancels, deletes and refused probes among them', () => {
    const gate = plan.filter(job => job.via === 'gate');
    expect(gate.length / plan.length).toBeGreaterThan(0.25);
    expect(gate.length / plan.length).toBeLessThan(0.35);
    expect(gate.some(job => job.cancelAfterMs !== undefined)).toBe(true);
    expect(gate.some(job => job.deleteWhenDone)).toBe(true);
    expect(gate.some(job => job.forbiddenProbe)).toBe(true);
    expect(plan.filter(job => job.via === 'seed').some(job => job.cancelAfterMs !== undefined || job.deleteWhenDone)).toBe(false);
  });

  it('gives every scenario a share, and Vertex-valid trial counts (never more parallel trials than trials)', () => {
    expect(new Set(plan.map(job => job.scenario))).toEqual(new Set(['succeed', 'fail-trials', 'fail-capacity', 'slow', 'stuck-pending', 'stuck-running']));
    expect(plan.every(job => job.maxParallelTrialCount <= job.maxTrialCount)).toBe(true);
    expect(plan.filter(job => job.scenario === 'slow').every(job => job.maxTrialCount >= 2 * job.maxParallelTrialCount)).toBe(true);
  });

  it('keeps to the targets asked for', () => {
    expect(new Set(planWorkload({...options, targets: 2}).map(job => job.target.location))).toEqual(new Set(['us-central1']));
  });
});
