import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadPolicyFile} from '../../../../shared/adapters/policy/load-policy-file.js';
import {PolicyError} from '../../../../shared/core/policy/index.js';

const FIXTURES = new URL('../../../fixtures/policy/', import.meta.url);

async function failure(path: string): Promise<PolicyError> {
  const error: unknown = await loadPolicyFile(path).then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof PolicyError)) throw new Error(`expected a PolicyError, got ${String(error)}`);
  return error;
}

describe('loadPolicyFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nasmon-policy-'));
  });
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  it('loads the YAML and JSON examples', async () => {
    const yaml = await loadPolicyFile(new URL('example.yaml', FIXTURES).pathname);
    const json = await loadPolicyFile(new URL('example.json', FIXTURES).pathname);

    expect(yaml.file).toMatch(/example\.yaml$/);
    expect(json.submissionRules.map(r => r.name)).toEqual(yaml.submissionRules.map(r => r.name));
  });

  it('reads .yml as YAML, whatever the case of the extension, and ignores a byte-order mark', async () => {
    const path = join(dir, 'policy.YML');
    await writeFile(path, '\uFEFFversion: 1\naccess: []\n');

    expect((await loadPolicyFile(path)).access).toEqual([]);
  });

  it('reports a missing file as a PolicyError naming it', async () => {
    const path = join(dir, 'absent.yaml');

    const error = await failure(path);

    expect(error.code).toBe('config-invalid');
    expect(error.problems).toEqual([{file: path, path: '$', reason: 'cannot read the file: ENOENT'}]);
  });

  it('refuses an unknown extension before reading', async () => {
    const error = await failure(join(dir, 'policy.toml'));

    expect(error.problems[0]?.reason).toMatch(/must end in \.yaml, \.yml or \.json/);
  });

  it('reports the problems of an invalid file with its path and lines', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{\n  "version": 1,\n  "access": [],\n  "mutation": []\n}\n');

    const error = await failure(path);

    expect(error.problems).toEqual([{file: path, path: 'mutation', line: 4, reason: expect.stringMatching(/^unknown key/)}]);
    expect(error.message).toContain(`${path}:4 mutation: unknown key`);
  });
});
