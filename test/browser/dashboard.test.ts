// The dashboard in a real browser: Debian's Chromium driven by playwright-core, the page served by the
// functions framework over the Firestore emulator, which the real poller, enforce and gate filled
// (dashboard-demo.support.ts). Expected counts come from Firestore and the simulator, never from the
// dashboard's own API. A screenshot lands in test-artifacts/dashboard/.
import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {chromium, type Browser, type Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createVertexTrialSource} from '../../shared/adapters/dashboard/vertex-trial-source.js';
import {createFirestoreDashboardStore} from '../../shared/adapters/firestore/dashboard-store.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {storedHistory} from '../integration/poller.support.js';
import {OPEN, serveDashboard} from '../unit/adapters/dashboard/dashboard-fakes.js';
import {DEMO_POLICY, playDemo, TARGET_B, XSS_NAME, type Demo} from './dashboard-demo.support.js';

const projectId = testProjectId(import.meta.url);
const CHROMIUM = (process.env.PATH ?? '').split(':').map(dir => join(dir, 'chromium')).find(path => existsSync(path));
const ARTIFACTS = 'test-artifacts/dashboard';
const docId = (name: string) => name.replaceAll('/', '~');

if (!CHROMIUM) console.warn('!!! SKIPPED "dashboard in a real browser": Chromium is not installed (apt-get install chromium)');
// Skipped only where Chromium is missing (the loud line above says so): the test drives a real browser.
// Without the emulators, describeWithEmulators skips it as loudly.
const suite = CHROMIUM ? describeWithEmulators : describe.skipIf(!CHROMIUM);

suite('dashboard in a real browser', () => {
  let demo: Demo;
  let server: Awaited<ReturnType<typeof serveDashboard>>;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const rows = () => page.locator('#jobs tbody tr');
  const mirrored = async (field?: string, value?: string) => {
    const jobs = demo.f.firestore.collection('nasJobs');
    return (await (field ? jobs.where(field, '==', value) : jobs).get()).size;
  };
  const openJob = async (name: string) => {
    await page.locator(`#jobs tbody tr[data-id="${docId(name)}"]`).click();
    await page.locator('#detail-sub', {hasText: name}).waitFor();
  };

  beforeAll(async () => {
    demo = await playDemo(projectId);
    server = await serveDashboard('dashboardInBrowser', OPEN, async () => ({
      store: createFirestoreDashboardStore({firestore: demo.f.firestore, log: demo.f.log}),
      trials: createVertexTrialSource({getNasJob: name => demo.f.client.getNasJob(name)}),
      policy: DEMO_POLICY, maxJobs: 500, refreshSeconds: 2, now: () => new Date(demo.simNowMs()),
    }));
    browser = await chromium.launch({
      executablePath: CHROMIUM!, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({viewport: {width: 1440, height: 900}});
    page.on('pageerror', error => pageErrors.push(error.message));
    page.on('console', message => void (message.type() === 'error' && pageErrors.push(message.text())));
    await page.goto(`${server.base}/`);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await demo?.f.close();
  });

  it('loads every mirrored job, with a display name that tries to inject markup shown as text', async () => {
    await expect.poll(() => rows().count(), {timeout: 10_000}).toBe(await mirrored());

    await expect.poll(() => page.locator('#jobs .name', {hasText: XSS_NAME}).count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as {__xss?: unknown}).__xss)).toBeUndefined();
    expect(await page.locator('#jobs img, #jobs script').count()).toBe(0);
    expect(await page.locator('#footnote').textContent()).toContain('500 most recent jobs');
  });

  it.each([
    ['state', 'SUCCEEDED', 'state', 'JOB_STATE_SUCCEEDED'],
    ['team', 'speech', 'team', 'speech'],
    ['project', TARGET_B.project, 'project', TARGET_B.project],
  ])('filters by %s', async (filter, value, field, stored) => {
    const expected = await mirrored(field, stored);
    expect(expected).toBeGreaterThan(0);

    await page.selectOption(`#filter-${filter}`, value);
    await expect.poll(() => rows().count()).toBe(expected);
    if (filter === 'state') expect(await page.locator('#jobs tbody .pill').allTextContents()).toEqual(Array(expected).fill(value));

    await page.click('#filter-clear');
    await expect.poll(() => rows().count()).toBe(await mirrored());
  });

  it('draws a job\'s timeline, one bar per recorded state, and its trial curve with the best-so-far line', async () => {
    const name = demo.jobs.succeeded;
    const history = await storedHistory(demo.f.firestore, name);
    const trials = (await demo.f.client.getNasJob(name)).nasJobOutput?.multiTrialJobOutput?.searchTrials ?? [];
    const measured = trials.filter(trial => trial.state === 'SUCCEEDED' && trial.finalMeasurement?.metrics.some(m => m.metricId === 'top_1_accuracy'));
    expect(history.at(-1)?.state).toBe('JOB_STATE_SUCCEEDED');
    expect(measured.length).toBeGreaterThan(1);

    await openJob(name);

    await expect.poll(() => page.locator('#timeline svg rect.bar').count()).toBe(history.length);
    expect(await page.locator('#timeline svg text.lane-label').allTextContents()).toEqual([...new Set(history.map(h => h.state.replace('JOB_STATE_', '')))]);
    await expect.poll(() => page.locator('#trials svg.stage-search circle.point').count()).toBe(measured.length);
    expect(await page.locator('#trials svg.stage-search path.best').count()).toBe(1);
    expect(await page.locator('#trials svg.stage-search circle.point.improved').count()).toBeGreaterThan(0);
  });

  it('shows how enforce cancelled the job that ran too long', async () => {
    await openJob(demo.jobs.overrun);

    await expect.poll(() => page.locator('#enforcement tbody tr').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringContaining('cancel-confirmed'), expect.stringMatching(/warn.*max-run.*running for [\d.]+h of a 10h limit/),
    ]));
    await page.locator('#timeline svg rect.bar.s-CANCELLED').waitFor();
  });

  it('shows how enforce cancelled the job that waited too long, and the events sent', async () => {
    await openJob(demo.jobs.cancelled);

    await expect.poll(() => page.locator('#enforcement tbody tr').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringContaining('cancel-confirmed'), expect.stringMatching(/^.*cancelqueue-time/), expect.stringContaining('warn'),
    ]));
    const events = await page.locator('#events tbody tr').allTextContents();
    expect(events.some(text => text.includes('stateChanged') && text.includes('CANCELLED'))).toBe(true);
    expect(events.some(text => text.includes('enforcement'))).toBe(true);
    await page.locator('#timeline svg rect.bar.s-CANCELLED').waitFor();
  });

  it('shows the gate\'s decisions about a job: the create allowed with a warning, a cancel refused', async () => {
    await openJob(demo.jobs.created);

    await expect.poll(() => page.locator('#decisions tbody tr').allTextContents()).toEqual(expect.arrayContaining([
      expect.stringMatching(/mallory@example\.org.*cancel.*denied.*access: mallory@example\.org may not cancel/),
      expect.stringMatching(/dave@example\.com.*create.*allowed.*display-name: display name "<img src=x/),
    ]));
    expect(await page.locator('#decisions tbody tr').count()).toBe(2);
    // The screenshot shows the job with the most to tell: trials, a warning, a cancel and its confirmation.
    mkdirSync(ARTIFACTS, {recursive: true});
    await openJob(demo.jobs.overrun);
    await page.locator('#trials svg circle.point').first().waitFor();
    await page.screenshot({path: `${ARTIFACTS}/dashboard.png`, fullPage: true});
  });

  it('refreshes by itself, and ran without a script error', async () => {
    const before = await page.locator('#status').textContent();
    const refreshed = page.waitForRequest(request => request.url().includes('/api/jobs?'), {timeout: 5000});

    await refreshed;
    expect(before).toMatch(/^updated /);
    expect(pageErrors).toEqual([]);
  });
});
