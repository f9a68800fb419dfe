// The harness promise: whatever ends a test run (a normal exit, Ctrl-C, a CI timeout's TERM or a
// KILL of the wrapper itself), no emulator process outlives it.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {findEmulatorLaunchers, groupAlive} from '../harness/emulator-processes.js';

const launchers = findEmulatorLaunchers();
const missing = 'missing' in launchers ? launchers.missing : undefined;
if (missing) console.warn(`!!! SKIPPED harness cleanup tests: ${missing}`);

function startWrapper(): {child: ChildProcess; groups: Promise<number[]>} {
  const env: Record<string, string | undefined> = {...process.env, NASMON_EMULATOR_LOGS: 'test-artifacts/cleanup-logs'};
  delete env.FIRESTORE_EMULATOR_HOST;
  delete env.PUBSUB_EMULATOR_HOST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/harness/with-emulators.ts', 'sleep', '60'], {env, stdio: ['ignore', 'ignore', 'pipe']});
  const groups = new Promise<number[]>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', chunk => {
      text += chunk;
      if (text.includes('emulators ready')) resolve(emulatorGroups(child.pid!));
    });
    child.on('exit', () => reject(new Error(`wrapper exited before the emulators were ready: ${text}`)));
  });
  return {child, groups};
}

/** Process groups whose session leader's parent is the wrapper: the two emulator sessions. */
function emulatorGroups(wrapperPid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid='], {encoding: 'utf8'}).trim().split('\n');
  return rows.map(row => row.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid, pgid]) => ppid === wrapperPid && pid === pgid)
    .map(([pid]) => pid!);
}

async function waitGone(groups: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!groups.some(groupAlive)) return true;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return false;
}

describe.skipIf(missing !== undefined)('the test harness shutdown', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('leaves no emulator process when the run gets %s', async signal => {
    const {child, groups} = startWrapper();
    const emulators = await groups;
    expect(emulators).toHaveLength(2);
    expect(emulators.every(groupAlive)).toBe(true);
    child.kill(signal);
    expect(await waitGone(emulators, 15_000)).toBe(true);
  }, 60_000);
});

describe('the test harness on a machine without the Google Cloud CLI', () => {
  it('says so in one loud line and reports the emulator tests as skipped, not passed', async () => {
    const env: Record<string, string | undefined> = {...process.env, NASMON_GCLOUD_SDK_ROOT: '/nonexistent-sdk'};
    delete env.FIRESTORE_EMULATOR_HOST;
    delete env.PUBSUB_EMULATOR_HOST;
    const args = ['--import', 'tsx', 'test/harness/with-emulators.ts', 'node', 'node_modules/vitest/vitest.mjs', 'run',
      'test/integration/emulators.test.ts', '--reporter=json'];
    const child = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', chunk => (stdout += chunk));
    child.stderr!.on('data', chunk => (stderr += chunk));
    const code = await new Promise(resolve => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toMatch(/EMULATOR TESTS SKIPPED — the Google Cloud CLI \(gcloud\) is not installed/);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {numPassedTests: number; numPendingTests: number};
    expect(report.numPassedTests).toBe(0);
    expect(report.numPendingTests).toBe(3);
  }, 60_000);
});
