import {describe, expect, it} from 'vitest';
import {toJobRow} from '../../../../shared/core/dashboard/index.js';
import {rulesOf, runtimeOf} from '../enforce/enforce-kit.js';
import {aDashboardJob, NOW, START, iso} from './dashboard-kit.js';

const H = 3600;
const maxRun = (limit: string, extra: Record<string, unknown> = {}) => ({name: 'max-run', kind: 'max-run-time', limit, ...extra});
const maxQueue = {name: 'queue', kind: 'max-queue-time', limit: '12h'};

describe('toJobRow: run time against its limit', () => {
  it.each<[string, Parameters<typeof aDashboardJob>, ReturnType<typeof rulesOf> | undefined, unknown]>([
    ['a running job under a 10h limit', [], rulesOf(maxRun('10h')), {phase: 'run', seconds: 3 * H, limit: {rule: 'max-run', seconds: 10 * H, source: 'policy', ratio: 0.3, cancels: true}}],
    ['the tightest of two rules', [], rulesOf(maxRun('10h'), {...maxRun('6h'), name: 'short'}), {limit: {rule: 'short', seconds: 6 * H, ratio: 0.5}}],
    ['a limit set by the job\'s label', [{labels: {team: 'vision', 'max-hours': '4'}}], rulesOf(maxRun('10h', {override: {label: 'max-hours', max: '12h'}})),
      {limit: {seconds: 4 * H, source: 'label', ratio: 0.75}}],
    ['a job exempt by label', [{labels: {team: 'vision', 'nasmon-exempt': 'true'}}], rulesOf(maxRun('10h')), {phase: 'run', seconds: 3 * H}],
    ['a rule scoped to another team', [], rulesOf(maxRun('10h', {appliesTo: {teams: ['nlp']}})), {phase: 'run', seconds: 3 * H}],
    ['a warn-mode rule, which never cancels', [], rulesOf(maxRun('10h', {mode: 'warn'})), {limit: {cancels: false}}],
    ['a dry-run rule', [], rulesOf(maxRun('10h', {dryRun: true})), {limit: {cancels: false}}],
    ['a pending job, against the queue limit', [{state: 'JOB_STATE_PENDING', startTime: undefined}, {state: 'JOB_STATE_PENDING'}], rulesOf(maxRun('10h'), maxQueue),
      {phase: 'queue', seconds: 3 * H + 300, limit: {rule: 'queue', seconds: 12 * H}}],
    ['a finished job: its clock stopped at endTime', [{state: 'JOB_STATE_SUCCEEDED', endTime: iso(START + H * 1000)}, {state: 'JOB_STATE_SUCCEEDED'}], rulesOf(maxRun('10h')),
      {phase: 'run', seconds: H, limit: {ratio: 0.1}}],
    ['no policy', [], undefined, {phase: 'run', seconds: 3 * H}],
  ])('reads %s', (_, args, policy, expected) => {
    const row = toJobRow(aDashboardJob(...args), policy, NOW);

    expect(row.runtime).toMatchObject(expected as object);
    if (!(expected as {limit?: unknown}).limit) expect(row.runtime?.limit).toBeUndefined();
  });

  it('has no run time when the job has neither create nor start time', () => {
    expect(toJobRow(aDashboardJob({createTime: undefined, startTime: undefined}), undefined, NOW).runtime).toBeNull();
  });
});

describe('toJobRow: the table line', () => {
  it('shows the short state, target, team, age and the raw display name', () => {
    const row = toJobRow(aDashboardJob({displayName: '<img src=x onerror=alert(1)>'}), runtimeOf({rules: []}), NOW);

    expect(row).toMatchObject({
      state: 'RUNNING', project: 'nas-prod', location: 'us-central1', team: 'vision', jobId: '1000000000000000001',
      ageSeconds: 3 * 3600 + 300, displayName: '<img src=x onerror=alert(1)>', trials: null,
    });
  });

  it.each([
    ['a deleted job', {deleted: true}, 'DELETED'],
    ['an unknown state', {state: '42'}, '42'],
  ])('names the state of %s', (_, record, state) => {
    expect(toJobRow(aDashboardJob({}, record), undefined, NOW).state).toBe(state);
  });

  it('summarises the search stage with its best metric and goal', () => {
    const stages = {search: {states: {}, counts: {total: 7, running: 2, succeeded: 4, infeasible: 1, max: 20}, best: {trialId: '3', value: 0.81}}};

    expect(toJobRow(aDashboardJob({}, {stages}), undefined, NOW).trials).toEqual({
      succeeded: 4, failed: 1, running: 2, total: 7, max: 20, best: {trialId: '3', value: 0.81, metricId: 'top_1_accuracy', goal: 'MAXIMIZE'},
    });
  });

  it('has no team for a job without a team label', () => {
    expect(toJobRow(aDashboardJob({labels: {}}), undefined, NOW).team).toBeNull();
  });
});
