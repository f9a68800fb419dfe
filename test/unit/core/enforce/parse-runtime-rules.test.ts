import {describe, expect, it} from 'vitest';
import {policyOf, problemLines, problemsOf} from '../policy/support.js';

const rule = (fields: Record<string, unknown>) => ({name: 'r', kind: 'max-run-time', limit: '72h', ...fields});

describe('parsePolicy: the runtime section', () => {
  it('compiles every rule kind with its defaults', () => {
    const {runtime} = policyOf({
      runtime: {
        rules: [
          {name: 'run', kind: 'max-run-time', limit: '72h', override: {label: 'nasmon-max-run-hours', max: '7d', min: '1h'}},
          {name: 'queue', kind: 'max-queue-time', limit: '6h', warnAt: [0.5, 0.9]},
          {name: 'stall', kind: 'no-progress', limit: '4h', mode: 'warn'},
          {name: 'overrun', kind: 'projected-overrun', limit: '10d', dryRun: true},
          {name: 'failing', kind: 'failed-trials', maxFailedShare: 0.5, ofMaxFailedTrialCount: 0.9, mode: 'audit'},
        ],
      },
    });

    expect(runtime).toMatchObject({dryRun: false, exemptLabel: 'nasmon-exempt', reissueCancelAfterSeconds: 600, cancelTimeoutSeconds: 3600});
    expect(runtime.rules.map(r => [r.name, r.kind, r.mode, r.warnAt, r.dryRun])).toEqual([
      ['run', 'max-run-time', 'enforce', [0.8], false],
      ['queue', 'max-queue-time', 'enforce', [0.5, 0.9], false],
      ['stall', 'no-progress', 'warn', [0.8], false],
      ['overrun', 'projected-overrun', 'enforce', [0.8], true],
      ['failing', 'failed-trials', 'audit', [0.8], false],
    ]);
    expect(runtime.rules[0]).toMatchObject({limitSeconds: 72 * 3600, override: {label: 'nasmon-max-run-hours', maxSeconds: 7 * 86_400, minSeconds: 3600}});
    expect(runtime.rules[3]).toMatchObject({minFinishedTrials: 3});
    expect(runtime.rules[4]).toMatchObject({maxFailedShare: 0.5, ofMaxFailedTrialCount: 0.9, minFinishedTrials: 10});
  });

  it('reads selectors with projects, locations, teams and labels', () => {
    const {runtime} = policyOf({runtime: {rules: [rule({appliesTo: {projects: ['nas-prod'], locations: ['us-*'], teams: ['vision'], labels: {env: 'prod', owner: '*'}}})]}});
    const selector = runtime.rules[0]!.appliesTo;

    expect([...selector.projects.exact]).toEqual(['nas-prod']);
    expect(selector.locations.prefixes).toEqual(['us-']);
    expect([...selector.teams!]).toEqual(['vision']);
    expect([...selector.labels]).toEqual([['env', 'prod'], ['owner', '*']]);
  });

  it('has no rules and the defaults when the section is absent, and a fingerprint that follows its content', () => {
    const none = policyOf({}).runtime;
    const one = policyOf({runtime: {rules: [rule({})]}}).runtime;
    const other = policyOf({runtime: {rules: [rule({limit: '73h'})]}}).runtime;

    expect(none.rules).toEqual([]);
    expect(none.fingerprint).not.toBe(one.fingerprint);
    expect(one.fingerprint).not.toBe(other.fingerprint);
    expect(policyOf({runtime: {rules: [rule({})]}}).runtime.fingerprint).toBe(one.fingerprint);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a section that is a list', {runtime: []}, 'runtime: expected a mapping, got a list'],
    ['an unknown section key', {runtime: {rule: []}}, 'runtime.rule: unknown key; expected one of: dryRun, exemptLabel, cancelVerification, rules'],
    ['dryRun as a string', {runtime: {dryRun: 'yes'}}, 'runtime.dryRun: expected true or false, got a string'],
    ['a bad exempt label', {runtime: {exemptLabel: 'Exempt!'}}, 'runtime.exemptLabel: "Exempt!" is not a label key'],
    ['giving up before re-issuing', {runtime: {cancelVerification: {reissueAfter: '1h', giveUpAfter: '30m'}}}, 'runtime.cancelVerification.giveUpAfter: must be longer than reissueAfter'],
    ['a rule without kind', {runtime: {rules: [{name: 'r'}]}}, 'runtime.rules[0].kind: required; one of max-run-time, max-queue-time, failed-trials, no-progress, projected-overrun'],
    ['an unknown kind', {runtime: {rules: [rule({kind: 'max-cost'})]}}, 'runtime.rules[0].kind: expected one of max-run-time, max-queue-time, failed-trials, no-progress, projected-overrun, got "max-cost"'],
    ['a timed rule without limit', {runtime: {rules: [{name: 'r', kind: 'no-progress'}]}}, 'runtime.rules[0].limit: required'],
    ['a negative limit', {runtime: {rules: [rule({limit: '-3h'})]}}, 'runtime.rules[0].limit: "-3h" is not a positive duration like 90m, 36h, 7d or 3600s'],
    ['a limit as a number', {runtime: {rules: [rule({limit: 72})]}}, 'runtime.rules[0].limit: expected a string, got a number (quote it: "72")'],
    ['warnAt of 1', {runtime: {rules: [rule({warnAt: 1})]}}, 'runtime.rules[0].warnAt: expected a fraction between 0 and 1 (exclusive), like 0.8; got 1'],
    ['warnAt as a percentage', {runtime: {rules: [rule({warnAt: [0.5, 80]})]}}, 'runtime.rules[0].warnAt[1]: expected a fraction between 0 and 1 (exclusive), like 0.8; got 80'],
    ['a threshold twice', {runtime: {rules: [rule({warnAt: [0.5, 0.5]})]}}, 'runtime.rules[0].warnAt: lists a threshold twice'],
    ['an unknown mode', {runtime: {rules: [rule({mode: 'block'})]}}, 'runtime.rules[0].mode: expected one of enforce, warn, audit, got "block"'],
    ['an override without max', {runtime: {rules: [rule({override: {label: 'hours'}})]}}, 'runtime.rules[0].override.max: required'],
    ['an override min above max', {runtime: {rules: [rule({override: {label: 'hours', max: '1h', min: '2h'}})]}}, 'runtime.rules[0].override.min: must not be longer than max'],
    ['an override on failed-trials', {runtime: {rules: [{name: 'r', kind: 'failed-trials', maxFailedCount: 3, override: {label: 'x', max: '1h'}}]}}, 'runtime.rules[0].override: unknown key; expected one of: name, kind, mode, appliesTo, warnAt, dryRun, maxFailedShare, maxFailedCount, ofMaxFailedTrialCount, minFinishedTrials'],
    ['failed-trials without a limit', {runtime: {rules: [{name: 'r', kind: 'failed-trials'}]}}, 'runtime.rules[0]: give at least one of: maxFailedShare, maxFailedCount, ofMaxFailedTrialCount'],
    ['a failed share above 1', {runtime: {rules: [{name: 'r', kind: 'failed-trials', maxFailedShare: 1.5}]}}, 'runtime.rules[0].maxFailedShare: expected a fraction above 0 and at most 1, like 0.8; got 1.5'],
    ['a label selector with a bad value', {runtime: {rules: [rule({appliesTo: {labels: {env: 'Prod'}}})]}}, 'runtime.rules[0].appliesTo.labels.env: "Prod" is not a label value or "*"'],
    ['a selector on an undefined team', {runtime: {rules: [rule({appliesTo: {teams: ['robots']}})]}}, 'runtime.rules[0].appliesTo.teams[0]: no team named "robots" is defined in teams'],
    ['a rule name used elsewhere', {runtime: {rules: [rule({name: 'everyone'})]}}, 'runtime.rules[0].name: duplicate rule name "everyone" (first defined at access[0].name)'],
  ])('reports %s', (_, document, expected) => {
    expect(problemLines(document)).toEqual([expected]);
  });

  it('reports every mistake of the section at once, with its line', () => {
    const yaml = [
      'version: 1',
      'access: []',
      'runtime:',
      '  dryRun: maybe',
      '  rules:',
      '    - {name: run, kind: max-run-time, limit: 3 days}',
      '    - {name: run, kind: no-progress, limit: 4h, warnAt: 0}',
      '    - {name: fail, kind: failed-trials, maxFailedCount: 0}',
    ].join('\n');

    expect(problemsOf(yaml, 'yaml', 'policy.yaml').map(p => `${p.line} ${p.path}`)).toEqual([
      '4 runtime.dryRun',
      '6 runtime.rules[0].limit',
      '7 runtime.rules[1].name',
      '7 runtime.rules[1].warnAt',
      '8 runtime.rules[2].maxFailedCount',
    ]);
  });
});
