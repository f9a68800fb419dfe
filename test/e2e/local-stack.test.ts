// Issue 6's proof: `npm start` as a newcomer runs it. The test starts the command in a process group
// of its own, waits for its banner, then checks through the stack's own front doors that the demo
// plays out: the gate (with a token from the local issuer), the dashboard's JSON, a subscription of
// its own on nasjob-events (sought back to the start), the Slack and SMTP sinks, and the simulator's
// true history. Then SIGTERM, and nothing of what the command started may be left; a second start
// on the same fixed ports must work right after, and even a SIGKILL of it must leave nothing behind.
// The stack starts its own emulators on free ports, so it never touches the ones `npm test` runs.
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PubSub, type Subscription} from '@google-cloud/pubsub';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tokenFromArgs} from '../../scripts/token.js';
import {READY_LINE} from '../../scripts/local/banner.js';
import {findEmulatorLaunchers, freePort} from '../harness/emulator-processes.js';
import {uniqueName} from '../harness/emulators.js';
import {
  artifactDir, bannerValue, processTree, signalAll, sinkEntries, startNpmStart, stillRunning, waitFor, type Proc, type StackRun,
} from './local-stack.support.js';

const launchers = findEmulatorLaunchers();
const missing = 'missing' in launchers ? launchers.missing : undefined;
// The port check too: npm start looks for the emulators before it binds any port.
if (missing) console.warn(`!!! SKIPPED "npm start, end to end" and "names the variable to set when a port it needs is taken": need the Firestore and Pub/Sub emulators — ${missing}`);

interface Recorded {
  readonly id: string;
  readonly type: string;
  readonly job: string;
  readonly data: Record<string, unknown>;
}

describe.skipIf(missing !== undefined)('npm start, end to end', () => {
  const logDir = artifactDir('local-stack-e2e');
  const issuerDir = mkdtempSync(join(tmpdir(), 'nasmon-issuer-'));
  const events = new Map<string, Recorded>();
  const env: Record<string, string> = {NASMON_LOCAL_LOG_DIR: logDir, NASMON_LOCAL_ISSUER_DIR: issuerDir};
  let stack: StackRun;
  let tree: Proc[] = [];
  let pubsub: PubSub | undefined;
  let recorder: Subscription | undefined;
  let urls: {gate: string; dashboard: string; simulator: string; pubsub: string};
  let jobs: {overrun: {name: string; displayName: string}; failed: {name: string; displayName: string}; queued: {name: string}};
  const actionsOf = (job: string) => [...events.values()].filter(e => e.job === job && e.type.endsWith('.enforcement')).map(e => String(e.data.action));
  const statesOf = (job: string) => [...events.values()].filter(e => e.job === job && e.type.endsWith('.stateChanged'))
    .sort((a, b) => Number(a.data.sequence) - Number(b.data.sequence)).map(e => String(e.data.state));
  const token = (email: string) => tokenFromArgs([`--email=${email}`], {NASMON_LOCAL_ISSUER_DIR: issuerDir});
  const getJson = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, {headers});
    return {status: response.status, body: (await response.json()) as Record<string, unknown>};
  };

  beforeAll(async () => {
    const startedAt = new Date();
    env.NASMON_SIMULATOR_PORT = String(await freePort());
    stack = startNpmStart(env, join(logDir, 'npm-start.out'));
    await stack.waitForLine(new RegExp(`^${READY_LINE}`), 240_000);
    await stack.waitForLine(/^Ctrl-C stops everything/, 5000);
    urls = {gate: bannerValue(stack.lines, 'gate (nasJobsApi)'), dashboard: bannerValue(stack.lines, 'dashboard'),
      simulator: bannerValue(stack.lines, 'NAS simulator'), pubsub: bannerValue(stack.lines, 'Pub/Sub emulator')};
    tree = processTree(stack.child.pid!);
    // A subscriber that comes late: the events topic keeps its messages, so it seeks back to the start.
    pubsub = new PubSub({projectId: 'demo-nasmon', apiEndpoint: urls.pubsub, emulatorMode: true});
    [recorder] = await pubsub.topic('nasjob-events').createSubscription(uniqueName('e2e-recorder'));
    await recorder.seek(new Date(startedAt.getTime() - 60_000));
    recorder.on('message', message => {
      const a = message.attributes;
      events.set(a['ce-id'] ?? message.id, {id: a['ce-id'] ?? '', type: a['ce-type'] ?? '', job: a['ce-nasjob'] ?? '', data: JSON.parse(message.data.toString()) as Record<string, unknown>});
      message.ack();
    });
    const truth = (await getJson(`${urls.simulator}/simulator/history`)).body.jobs as Array<{name: string; displayName: string; scenario: string}>;
    const byScenario = (scenario: string) => truth.find(job => job.scenario === scenario)!;
    jobs = {overrun: byScenario('slow'), failed: byScenario('fail-capacity'), queued: byScenario('stuck-pending')};
  }, 300_000);

  afterAll(async () => {
    await recorder?.close().catch(() => undefined);
    await pubsub?.close().catch(() => undefined);
    if (stack && stack.child.exitCode === null && stack.child.signalCode === null) {
      signalAll([{pid: stack.child.pid!, ppid: 0, pgid: stack.child.pid!, stat: 'S', args: ''}], 'SIGTERM');
      await Promise.race([stack.exited, new Promise(resolve => setTimeout(resolve, 20_000))]);
    }
    signalAll(stillRunning(tree), 'SIGKILL'); // only if the stack failed to clean up after itself
    rmSync(issuerDir, {recursive: true, force: true});
  }, 60_000);

  it('plays the overrunning search out: warned, cancelled through Vertex at its limit, confirmed CANCELLED', async () => {
    await waitFor('cancel-confirmed of the overrunning search', () => actionsOf(jobs.overrun.name).includes('cancel-confirmed'), 150_000);

    expect(actionsOf(jobs.overrun.name)).toEqual(['warn', 'cancel', 'cancel-confirmed']);
    expect(statesOf(jobs.overrun.name).at(-1)).toBe('JOB_STATE_CANCELLED'); // CANCELLING may fall between two polls
    const {body} = await getJson(`${urls.simulator}/simulator/history?name=${jobs.overrun.name}`);
    const truth = (body.jobs as Array<{states: Array<{state: string}>}>)[0]!;
    expect(truth.states.map(s => s.state).slice(-3)).toEqual(['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']);
    // The console's own subscriber gets the event independently of the recorder above, maybe later.
    await waitFor('the console line of the cancel-confirmed', () => stack.lines.some(line => /enforcement .*conformer-long-search-1 +CANCEL-CONFIRMED/.test(line)), 30_000);
  }, 190_000);

  it('alerts about the failed search on the Slack sink and by mail, with the error Vertex gave', async () => {
    const slackAbout = () => sinkEntries(join(logDir, 'slack.jsonl')).filter(entry => JSON.stringify(entry.post).includes(jobs.failed.name));
    const mailAbout = () => sinkEntries(join(logDir, 'mail.jsonl')).filter(entry => String(entry.text).includes(jobs.failed.name));
    // The sinks print their console line right after writing their file; the line may come a moment later.
    const printed = (prefix: string) => stack.lines.some(line => line.includes(prefix) && line.includes(`${jobs.failed.displayName}:`));
    const missing = () => Object.entries({
      'a Slack post': slackAbout().length > 0, 'a mail': mailAbout().length > 0,
      'the Slack console line': printed('▸ slack #vision'), 'the mail console line': printed('▸ mail  ml-oncall@example.com'),
    }).filter(([, there]) => !there).map(([part]) => part);
    // A timeout names what was still missing: last time this failed under load, the message could not say.
    await waitFor('the failure on Slack and by mail, and their console lines', () => missing().length === 0, 60_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; still missing: ${missing().join(', ')}; job states seen: ${statesOf(jobs.failed.name).join(' → ')}`);
      });

    expect(statesOf(jobs.failed.name).at(-1)).toBe('JOB_STATE_FAILED');
    const [slack, ...moreSlack] = slackAbout();
    expect(moreSlack).toEqual([]);
    expect(slack).toMatchObject({webhook: 'vision', text: expect.stringMatching(new RegExp(`^:x: ${jobs.failed.displayName}: .*FAILED`))});
    expect(slack!.detail).toMatch(/Resources are insufficient in region/);
    const [mail, ...moreMail] = mailAbout();
    expect(moreMail).toEqual([]);
    expect(mail).toMatchObject({to: ['ml-oncall@example.com'], subject: expect.stringContaining(`${jobs.failed.displayName}:`)});
  }, 70_000);

  it('answers through the gate to callers with a token from the local issuer, within their access', async () => {
    const list = `${urls.gate}/v1/projects/demo-speech/locations/us-central1/nasJobs`;
    const admin = await getJson(list, {authorization: `Bearer ${token('admin@example.com')}`});
    expect(admin.status).toBe(200);
    const listed = admin.body.nasJobs as Array<{name: string; state: string}>;
    expect(listed.find(job => job.name === jobs.overrun.name)?.state).toBe('JOB_STATE_CANCELLED');
    expect((await getJson(list)).status).toBe(401);
    expect((await getJson(list, {authorization: `Bearer ${token('stranger@elsewhere.example')}`})).status).toBe(403);
  }, 30_000);

  it('shows every demo job on the dashboard, and what enforce and notify did about them', async () => {
    const table = (await getJson(`${urls.dashboard}/api/jobs`)).body;
    const rows = table.jobs as Array<{id: string; name: string; state: string}>;
    const stateOf = (name: string) => rows.find(row => row.name === name)?.state;
    expect(rows).toHaveLength(5);
    expect([stateOf(jobs.overrun.name), stateOf(jobs.failed.name), stateOf(jobs.queued.name)]).toEqual(['CANCELLED', 'FAILED', 'PENDING']);

    const overrun = (await getJson(`${urls.dashboard}/api/jobs/${rows.find(row => row.name === jobs.overrun.name)!.id}`)).body;
    expect((overrun.enforcement as Array<{action?: string}>).map(entry => entry.action)).toEqual(expect.arrayContaining(['warn', 'cancel', 'cancel-confirmed']));
    const failed = (await getJson(`${urls.dashboard}/api/jobs/${rows.find(row => row.name === jobs.failed.name)!.id}`)).body;
    expect((failed.notifications as Array<{channel: string}>).map(entry => entry.channel).sort()).toEqual(['oncall-mail', 'vision-slack']);
  }, 30_000);

  it('stops everything within seconds on SIGTERM, leaving no process behind', async () => {
    expect(tree.filter(p => p.args.includes('functions-framework') && !p.args.startsWith('bash'))).toHaveLength(7);
    expect(tree.filter(p => /\bjava\b/.test(p.args))).toHaveLength(2);

    // To npm alone, as a process manager would send it: npm passes it to `sh -c`, which drops it;
    // the stack notices that its parent is gone.
    const t0 = Date.now();
    process.kill(stack.child.pid!, 'SIGTERM');
    await stack.exited;
    await waitFor('every process of the stack to end', () => stillRunning(tree).length === 0, 10_000);

    expect(Date.now() - t0).toBeLessThan(15_000);
    await stack.waitForLine(/^stopped in [\d.]+ s$/, 2000);
    await expect(fetch(`http://${urls.pubsub}/`)).rejects.toThrow();
  }, 30_000);

  it('starts again right after on the same ports; killed outright, it still leaves nothing behind', async () => {
    const second = startNpmStart(env, join(logDir, 'npm-start-2.out'));
    try {
      await second.waitForLine(new RegExp(`^${READY_LINE}`), 180_000);
      expect(bannerValue(second.lines, 'NAS simulator')).toBe(urls.simulator);
    } finally {
      tree = processTree(second.child.pid!);
      // SIGKILL: no cleanup runs; the watchdogs of the emulators and function servers must notice.
      const stackProcess = tree.find(p => p.args.includes('scripts/local-stack.ts') && !/^(sh|npm)\b/.test(p.args));
      process.kill(stackProcess?.pid ?? second.child.pid!, 'SIGKILL');
      await second.exited;
      await waitFor('every process of the killed stack to end', () => stillRunning(tree).length === 0, 15_000);
    }
  }, 200_000);
});

describe('npm start, refusing to start', () => {
  const logDir = artifactDir('local-stack-e2e');
  it('says exactly what to install when the Google Cloud CLI emulators are missing', async () => {
    const emptySdk = mkdtempSync(join(tmpdir(), 'nasmon-no-sdk-'));
    const run = startNpmStart({NASMON_GCLOUD_SDK_ROOT: emptySdk, NASMON_LOCAL_LOG_DIR: logDir}, join(logDir, 'npm-start-no-sdk.out'));
    await run.waitForLine(/apt-get install google-cloud-cli google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator/, 50_000);
    expect(await run.exited).toBe(1);
    rmSync(emptySdk, {recursive: true, force: true});
  }, 60_000);

  // Skipped only where the emulators are missing (the loud line at the top says so): npm start looks
  // for them before it binds any port, so without them it never reaches the port check.
  it.skipIf(missing !== undefined)('names the variable to set when a port it needs is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise(resolve => blocker.once('listening', resolve));
    const port = (blocker.address() as {port: number}).port;
    const run = startNpmStart({NASMON_SIMULATOR_PORT: String(port), NASMON_LOCAL_LOG_DIR: logDir}, join(logDir, 'npm-start-port-taken.out'));
    const message = await run.waitForLine(/for the NAS simulator is already in use/, 50_000);
    expect(await run.exited).toBe(1);
    blocker.close();
    expect(message).toContain(`port ${port} for the NAS simulator is already in use (is another \`npm start\` running?); set NASMON_SIMULATOR_PORT`);
  }, 60_000);
});
