import {describe, expect, it} from 'vitest';
import {parsePolicy, PolicyError} from '../../../../shared/core/policy/index.js';
import {examplePolicy, policyFixture, problemsOf} from './support.js';

describe('parsePolicy: the example files', () => {
  it('compiles the example YAML a user copies', () => {
    const policy = examplePolicy();

    expect(policy.teams.map(team => team.name)).toEqual(['vision', 'nlp', 'platform']);
    expect(policy.access.map(grant => grant.name)).toEqual(['admins-everything', 'teams-own-jobs', 'pipelines-submit']);
    expect(policy.mutations.map(rule => rule.kind)).toEqual(['label', 'team-label', 'default-trial-timeout']);
    expect(policy.submissionRules).toHaveLength(11);
    expect(policy.actionRules.map(rule => rule.kind)).toEqual(['ownership', 'protected-label', 'terminal-only']);
    expect(policy.runtime.rules.map(rule => rule.kind)).toEqual(['max-run-time', 'max-queue-time', 'no-progress', 'projected-overrun', 'failed-trials']);
  });

  it('compiles the JSON example to the same policy as the YAML one', () => {
    const fromJson = parsePolicy({text: policyFixture('example.json'), format: 'json', file: 'example.yaml'});

    expect(fromJson).toEqual(examplePolicy());
  });

  it('expands groups into team members and indexes emails and domains in file order', () => {
    const policy = examplePolicy();

    expect(policy.teamByEmail.get('alice@example.com')).toBe('platform');
    expect(policy.teamByDomain.get('nlp.example.com')).toBe('nlp');
  });
});

describe('parsePolicy: validation reports every problem at once', () => {
  it('lists all the mistakes of the many-mistakes fixture with their lines and paths', () => {
    const problems = problemsOf(policyFixture('many-mistakes.yaml'), 'yaml', 'many-mistakes.yaml');
    const numbered = [...policyFixture('many-mistakes.yaml').matchAll(/(?:# | and )(\d+) /g)].map(m => Number(m[1]));

    expect(problems.every(p => p.file === 'many-mistakes.yaml')).toBe(true);
    expect(problems.map(p => `${p.line} ${p.path}`)).toEqual([
      '3 grups',
      '6 groups.admins.emails[0]',
      '9 teams.Vision',
      '12 teams.nlp.groups[0]',
      '16 access[0].actions[1]',
      '17 access[0].mode',
      '18 access[1].name',
      '19 access[1].callers.teams[0]',
      '24 mutations[0].timeout',
      '27 submissionRules[0].kind',
      '29 submissionRules[1]',
      '31 submissionRules[1].maxPerWoker',
      '34 submissionRules[2].pattern',
      '37 submissionRules[3].required[0]',
      '38 submissionRules[3].patterns.cost-center',
      '41 submissionRules[4].search.maxTrialCount',
      '42 submissionRules[4].mode',
      '47 actionRules[0].value',
      '50 actionRules[1].actions',
      '51 runtime',
    ]);
    expect(problems).toHaveLength(Math.max(...numbered));
  });

  it('throws a config-invalid PolicyError whose message names the file and each problem', () => {
    const error = (() => {
      try {
        parsePolicy({text: policyFixture('many-mistakes.yaml'), format: 'yaml', file: 'policies/nas.yaml'});
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).code).toBe('config-invalid');
    expect((error as PolicyError).message).toContain('policies/nas.yaml:17 access[0].mode: unknown key');
  });

  it.each([
    ['YAML syntax', 'version: 1\naccess: [\n', 'yaml', /^YAML: /],
    ['duplicate YAML keys', 'version: 1\nversion: 1\naccess: []\n', 'yaml', /unique/],
    ['several YAML documents', 'version: 1\naccess: []\n---\nversion: 1\n', 'yaml', /multiple documents/],
    ['JSON syntax', '{"version": 1,', 'json', /^JSON: /],
    ['an empty file', '', 'yaml', /expected a mapping, got null/],
    ['a list at the top', '[]', 'json', /expected a mapping, got a list/],
    ['a missing version', '{"access": []}', 'json', /required/],
    ['another version', '{"version": 2, "access": []}', 'json', /unsupported version 2/],
    ['a missing access section', '{"version": 1}', 'json', /required/],
    ['an unresolved YAML tag', 'version: 1\naccess: !custom []\n', 'yaml', /Unresolved tag/],
    ['too many YAML aliases', `version: 1\naccess: []\nruntime: {a: &a [1], ${Array.from({length: 120}, (_, i) => `k${i}: *a`).join(', ')}}\n`, 'yaml', /alias/i],
    ['a YAML merge key (not supported, so unknown)', 'version: 1\naccess: []\n<<: {teams: {}}\n', 'yaml', /unknown key/],
  ] as const)('reports %s', (_, text, format, reason) => {
    const problems = problemsOf(text, format);

    expect(problems.map(p => p.reason)).toContainEqual(expect.stringMatching(reason));
  });

  it('accepts a minimal file that denies everything', () => {
    const policy = parsePolicy({text: 'version: 1\naccess: []\n', format: 'yaml', file: 'min.yaml'});

    expect(policy.access).toEqual([]);
  });

  it('treats an empty section (all entries commented out) as empty', () => {
    const policy = parsePolicy({text: 'version: 1\naccess:\nmutations:\nteams:\n', format: 'yaml', file: 'min.yaml'});

    expect(policy.mutations).toEqual([]);
  });

  it('reads yes/no as strings (YAML 1.2), so a boolean option written as yes is an error', () => {
    const text = 'version: 1\naccess: []\nmutations:\n  - {name: m, kind: team-label, overwrite: yes}\n';

    expect(problemsOf(text, 'yaml').map(p => `${p.path}: ${p.reason}`)).toEqual(['mutations[0].overwrite: expected true or false, got a string']);
  });

  it('refuses files over the size cap without parsing them', () => {
    const problems = problemsOf(`version: 1\naccess: []\n#${'x'.repeat(1_000_001)}`, 'yaml');

    expect(problems.map(p => p.reason)).toEqual([expect.stringMatching(/larger than/)]);
  });
});
