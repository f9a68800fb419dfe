// simulator/main.ts as a real process: the listening line, clean exit on SIGTERM, exit 2 on bad flags.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseCliOptions} from '../../simulator/cli-options.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runMain(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  return {child, output: () => ({stdout, stderr})};
}

describe('simulator command line', () => {
  it('prints one listening line, serves, and exits 0 on SIGTERM', async () => {
    const {child, output} = runMain(['--port=0', '--seed=3', '--time-scale=60', '--seed-jobs=5', '--fault-rate=1']);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /nas simulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output().stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', code => reject(new Error(`exited early with ${code}: ${output().stderr}`)));
    });
    const jobsUrl = `${url}/v1/projects/demo-nasmon/locations/us-central1/nasJobs`;
    expect((await fetch(jobsUrl)).status).toBe(503); // --fault-rate=1 faults every API call
    await fetch(`${url}/simulator/faults`, {method: 'DELETE'});
    const reply = await fetch(jobsUrl);
    expect(((await reply.json()) as {nasJobs: unknown[]}).nasJobs).toHaveLength(5);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output().stdout.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with a message naming a bad flag', async () => {
    const {child, output} = runMain(['--port=banana']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(output().stderr).toContain('--port');
  });

  it.each([
    [['--time-scale=-1'], '--time-scale'],
    [['--initial-state=RUNNING'], '--initial-state'],
    [['--fault-rate=2'], '--fault-rate'],
    [['--reads-per-minute=0'], '--reads-per-minute'],
    [['--seed-jobs=1.5'], '--seed-jobs'],
    [['--colour=red'], '--colour'],
    [['--seed'], '--seed'],
  ])('rejects %j naming %s', (args, flag) => {
    expect(() => parseCliOptions(args)).toThrow(flag);
  });

  it('parses every flag, in = and space forms', () => {
    const options = parseCliOptions([
      '--port', '9000', '--seed=5', '--time-scale=60', '--initial-state=QUEUED', '--reads-per-minute=100',
      '--writes-per-minute=10', '--fault-rate=0.05', '--seed-jobs=20', '--seed-target=p/europe-west4',
    ]);
    expect(options).toEqual({
      server: {port: 9000, seed: 5, timeScale: 60, initialState: 'JOB_STATE_QUEUED', readsPerMinute: 100, writesPerMinute: 10},
      faultRate: 0.05,
      seedJobs: 20,
      seedTarget: {project: 'p', location: 'europe-west4'},
      help: false,
    });
  });
});
