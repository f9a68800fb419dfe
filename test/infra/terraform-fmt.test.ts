// Where the Terraform CLI is installed (it is on these machines, without the google provider, so
// neither init nor validate can run), infra/ must be in its canonical format: `terraform fmt` is
// offline and needs no provider.
import {spawnSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {ROOT} from './infra.support.js';

const TERRAFORM = spawnSync('terraform', ['version'], {encoding: 'utf8'}).status === 0;
if (!TERRAFORM) console.warn('!!! SKIPPED "terraform fmt": the Terraform CLI is not installed');

// Skipped only where the CLI is missing (the loud line above says so); CI machines have it.
describe.skipIf(!TERRAFORM)('terraform fmt', () => {
  it('finds every .tf file of infra/ in canonical format', () => {
    const run = spawnSync('terraform', ['fmt', '-check', '-list=true', '-recursive', 'infra'], {cwd: ROOT, encoding: 'utf8'});
    expect(run.stdout.trim(), 'files terraform fmt would rewrite').toBe('');
    expect(run.status).toBe(0);
  });
});
