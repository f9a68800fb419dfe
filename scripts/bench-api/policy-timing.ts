// The policy engine alone: how long one evaluateCreate / evaluateAction takes with the example
// policy, timed one evaluation at a time over thousands of runs (no I/O, no HTTP).
import {evaluateAction, evaluateCreate, type Policy} from '../../shared/core/policy/index.js';
import type {NasJobDraft} from '../../shared/core/vertex/index.js';
import {percentile} from './http-load.js';
import {BENCH_CALLER, BENCH_LOCATION, BENCH_PROJECT, benchJob} from './job-body.js';

/** Per-evaluation figures of one kind of call. */
export interface EvaluationTiming {
  readonly evaluation: string;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly perSecond: number;
}

/**
 * Times `runs` evaluations of each kind after `runs / 10` untimed ones (so the JIT has settled).
 * The create mix rotates an allowed job, one that breaks several rules and one from a caller no grant
 * covers, so every path of the engine is in the figures.
 */
export function timePolicyEvaluation(policy: Policy, runs: number): EvaluationTiming[] {
  const allowed = benchJob(1) as unknown as NasJobDraft;
  const broken = {...benchJob(2), displayName: 'Bad Name', labels: {team: 'nlp'}} as unknown as NasJobDraft;
  const creates = [
    {caller: {email: BENCH_CALLER}, job: allowed},
    {caller: {email: BENCH_CALLER}, job: broken},
    {caller: {email: 'stranger@elsewhere.org'}, job: allowed},
  ].map(({caller, job}) => ({caller, job, project: BENCH_PROJECT, location: BENCH_LOCATION, activeJobsByTeam: {nlp: 3}}));
  const action = {
    caller: {email: BENCH_CALLER}, action: 'delete' as const, project: BENCH_PROJECT, location: BENCH_LOCATION,
    jobState: 'JOB_STATE_SUCCEEDED', jobLabels: {team: 'nlp', protected: 'true'}, createdBy: BENCH_CALLER,
  };
  return [
    time('evaluateCreate', runs, i => evaluateCreate(policy, creates[i % creates.length]!)),
    time('evaluateAction', runs, () => evaluateAction(policy, action)),
  ];
}

function time(evaluation: string, runs: number, evaluate: (i: number) => unknown): EvaluationTiming {
  for (let i = 0; i < Math.ceil(runs / 10); i++) evaluate(i);
  const samples = new Array<number>(runs);
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    evaluate(i);
    samples[i] = performance.now() - t0;
  }
  const totalMs = performance.now() - started;
  return {evaluation, runs, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), maxMs: Math.max(...samples), perSecond: (runs / totalMs) * 1000};
}
