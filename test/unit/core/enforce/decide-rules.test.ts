import {describe, expect, it} from 'vitest';
import {decideRules} from '../../../../shared/core/enforce/index.js';
import {aJobFacts, H, rulesOf, runtimeOf, T0, type FactsOverrides} from './enforce-kit.js';

const runTime = (fields: Record<string, unknown> = {}) => ({name: 'run', kind: 'max-run-time', limit: '10h', ...fields});
const queueTime = {name: 'queue', kind: 'max-queue-time', limit: '2h'};
const stalled = {name: 'stall', kind: 'no-progress', limit: '4h'};
const overrun = (limit: string) => ({name: 'overrun', kind: 'projected-overrun', limit});
const hourly = (n: number) => Array<number>(n).fill(3600);

interface Row {
  readonly rules: Record<string, unknown>[];
  readonly facts?: FactsOverrides;
  readonly done?: Record<string, number>;
  readonly atHours: number;
  readonly dryRun?: boolean;
  /** `key action` of each action taken. */
  readonly actions: string[];
  /** Hours after T0, or null. */
  readonly dueHours: number | null;
}

describe('decideRules', () => {
  it.each<[string, Row]>([
    ['a job below every threshold waits for the first one', {rules: [runTime()], atHours: 7, actions: [], dueHours: 8}],
    ['the warning threshold warns, and the limit is next', {rules: [runTime()], atHours: 8, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['a warning is given once per threshold', {rules: [runTime()], done: {'run/warn/0.8': T0}, atHours: 9, actions: [], dueHours: 10}],
    ['the limit cancels', {rules: [runTime()], done: {'run/warn/0.8': T0}, atHours: 10, actions: ['cancel cancel'], dueHours: null}],
    ['a job found past its limit is cancelled without a warning first', {rules: [runTime()], atHours: 12, actions: ['cancel cancel'], dueHours: null}],
    ['of several thresholds passed at once, only the highest warns', {rules: [runTime({warnAt: [0.5, 0.8]})], atHours: 8.5, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['a lower threshold is not warned after a higher one', {rules: [runTime({warnAt: [0.5, 0.8]})], done: {'run/warn/0.8': T0}, atHours: 9, actions: [], dueHours: 10}],
    ['warn mode warns again at the limit instead of cancelling', {rules: [runTime({mode: 'warn'})], done: {'run/warn/0.8': T0}, atHours: 10, actions: ['run/warn/1 warn'], dueHours: null}],
    ['a dry-run rule reports its cancel under its own key', {rules: [runTime({dryRun: true})], atHours: 10, actions: ['run/cancel/dry-run cancel'], dueHours: null}],
    ['global dry run (NASMON_ENFORCE_DRY_RUN) does the same', {rules: [runTime()], dryRun: true, atHours: 10, actions: ['run/cancel/dry-run cancel'], dueHours: null}],
    ['a dry-run report does not stop the real warning once dry run is off', {rules: [runTime()], done: {'run/warn/0.8/dry-run': T0}, atHours: 8, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['audit mode records under its own key', {rules: [runTime({mode: 'audit'})], atHours: 8, actions: ['run/warn/0.8/audit warn'], dueHours: 10}],
    ['the exemption label exempts from every rule', {rules: [runTime()], facts: {labels: {'nasmon-exempt': 'true'}}, atHours: 12, actions: [], dueHours: null}],
    ['the exemption label may name one rule', {rules: [runTime(), {...queueTime}], facts: {labels: {'nasmon-exempt': 'queue'}}, atHours: 8, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['a selector on another project leaves the job alone', {rules: [runTime({appliesTo: {projects: ['nas-dev']}})], atHours: 12, actions: [], dueHours: null}],
    ['a selector matches the project number Vertex uses', {rules: [runTime({appliesTo: {projects: ['123456789012']}})], atHours: 8, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['a label selector needs the label', {rules: [runTime({appliesTo: {labels: {env: 'prod'}}})], atHours: 12, actions: [], dueHours: null}],
    ['a team selector matches the team label', {rules: [runTime({appliesTo: {teams: ['vision']}})], atHours: 8, actions: ['run/warn/0.8 warn'], dueHours: 10}],
    ['the override label sets the job\'s own limit', {
      rules: [runTime({override: {label: 'nasmon-max-run-hours', max: '2d'}})], facts: {labels: {'nasmon-max-run-hours': '20'}}, atHours: 10, actions: [], dueHours: 16,
    }],
    ['an override beyond the policy\'s bound is held to it', {
      rules: [runTime({override: {label: 'nasmon-max-run-hours', max: '12h'}})], facts: {labels: {'nasmon-max-run-hours': '400'}}, atHours: 12, actions: ['cancel cancel'], dueHours: null,
    }],
    ['max-queue-time counts from createTime while the job waits', {rules: [queueTime], facts: {state: 'JOB_STATE_PENDING', startMs: undefined}, atHours: 0.6, actions: ['queue/warn/0.8 warn'], dueHours: 1}],
    ['max-queue-time leaves a running job alone', {rules: [queueTime], atHours: 5, actions: [], dueHours: null}],
    ['no-progress counts from the last finished trial', {rules: [stalled], facts: {lastProgressMs: T0 + 5 * H}, atHours: 8.5, actions: ['stall/warn/0.8 warn'], dueHours: 9}],
    ['no-progress counts from the start when no trial finished', {rules: [stalled], atHours: 3.5, actions: ['stall/warn/0.8 warn'], dueHours: 4}],
    ['a projected overrun cancels: 50 trials left ÷ 5 × 1h after 20h is 30h', {
      rules: [overrun('30h')], facts: {search: {maxTrialCount: 100, maxParallelTrialCount: 5, finished: 50, failed: 0, durations: hourly(5)}}, atHours: 20, actions: ['cancel cancel'], dueHours: null,
    }],
    ['a projection within its limit is looked at again when it would reach a threshold', {
      rules: [overrun('40h')], facts: {search: {maxTrialCount: 100, maxParallelTrialCount: 5, finished: 50, failed: 0, durations: hourly(5)}}, atHours: 20, actions: [], dueHours: 22,
    }],
    ['no projection from fewer finished trials than minFinishedTrials', {
      rules: [overrun('1h')], facts: {search: {maxTrialCount: 100, maxParallelTrialCount: 5, finished: 2, failed: 0, durations: hourly(2)}}, atHours: 20, actions: [], dueHours: null,
    }],
    ['a failed share at its limit cancels', {
      rules: [{name: 'failing', kind: 'failed-trials', maxFailedShare: 0.5}], facts: {search: {finished: 20, failed: 10, durations: []}}, atHours: 1, actions: ['cancel cancel'], dueHours: null,
    }],
    ['failed trials close to maxFailedTrialCount warn', {
      rules: [{name: 'failing', kind: 'failed-trials', ofMaxFailedTrialCount: 0.9}], facts: {search: {maxFailedTrialCount: 20, finished: 30, failed: 16, durations: []}}, atHours: 1, actions: ['failing/warn/0.8 warn'], dueHours: null,
    }],
    ['two rules at their limits cancel the job once, by the first', {rules: [runTime(), {...queueTime, kind: 'no-progress'}], atHours: 12, actions: ['cancel cancel'], dueHours: null}],
  ])('%s', (_, row) => {
    const decisions = decideRules(aJobFacts(row.facts), rulesOf(...row.rules), row.done ?? {}, T0 + row.atHours * H, row.dryRun ?? false);

    expect(decisions.actions.map(action => `${action.key} ${action.action}`)).toEqual(row.actions);
    expect(decisions.dueMs === null ? null : (decisions.dueMs - T0) / H).toBe(row.dueHours);
  });

  it('marks dry-run and audit actions, and only audit ones as unpublished', () => {
    const dry = decideRules(aJobFacts(), runtimeOf({dryRun: true, rules: [runTime()]}), {}, T0 + 10 * H, false).actions[0];
    const audit = decideRules(aJobFacts(), rulesOf(runTime({mode: 'audit'})), {}, T0 + 10 * H, false).actions[0];

    expect(dry).toMatchObject({action: 'cancel', dryRun: true, publish: true, rule: 'run', threshold: 1});
    expect(audit).toMatchObject({action: 'cancel', dryRun: true, publish: false});
  });

  it('says why in the reason, including a limit set by a label', () => {
    const facts = aJobFacts({labels: {'nasmon-max-run-hours': '400'}});
    const [action] = decideRules(facts, rulesOf(runTime({override: {label: 'nasmon-max-run-hours', max: '12h'}})), {}, T0 + 12 * H, false).actions;

    expect(action!.reason).toBe("running for 12h of a 12h limit (100%); label nasmon-max-run-hours=400 asks for more than the policy's maximum, 12h, which applies; limit reached");
    expect(action).toMatchObject({limitSeconds: 12 * 3600, limitSource: 'label'});
  });

  it('skips a rule whose job lacks the field it needs, naming the field', () => {
    const facts = aJobFacts({startMs: undefined, problems: [{field: 'job.startTime', reason: 'missing on a running job'}]});
    const decisions = decideRules(facts, rulesOf(runTime(), stalled), {}, T0 + 12 * H, false);

    expect(decisions.actions).toEqual([]);
    expect(decisions.skipped).toEqual([
      {rule: 'run', field: 'job.startTime', reason: 'missing on a running job'},
      {rule: 'stall', field: 'job.startTime', reason: 'missing on a running job'},
    ]);
  });
});
