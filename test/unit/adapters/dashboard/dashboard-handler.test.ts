// The dashboard's HTTP surface through the functions framework, with in-memory ports: routing, the
// page's security headers, JSON answers, errors in the gate's envelope.
import {createHash} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {aDashboardJob} from '../../core/dashboard/dashboard-kit.js';
import {fakeDeps, OPEN, serveDashboard} from './dashboard-fakes.js';

const jobs = [
  aDashboardJob({displayName: 'mnasnet'}),
  aDashboardJob({name: 'projects/1/locations/europe-west4/nasJobs/2', displayName: 'failed-one', state: 'JOB_STATE_FAILED', labels: {team: 'nlp'}},
    {state: 'JOB_STATE_FAILED'}, {project: 'nas-dev-a', location: 'europe-west4'}),
];

describe('dashboard over HTTP (open)', () => {
  let server: Awaited<ReturnType<typeof serveDashboard>>;
  let failing = false;
  beforeAll(async () => {
    const deps = fakeDeps(jobs);
    server = await serveDashboard('dashboardHandlerUnderTest', OPEN, async () => {
      if (failing) throw new Error('secret internal detail');
      return deps;
    });
  });
  afterAll(() => server?.close());

  it('serves the page with a policy that allows exactly its own inline script and style', async () => {
    const response = await server.get('/');
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const inline = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(csp).toContain(`script-src ${hash(inline('script'))};`);
    expect(csp).toContain(`style-src ${hash(inline('style'))};`);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // nothing fetched from elsewhere
  });

  it.each(['/api/jobs', '/dashboard/api/jobs', '/api/jobs/'])('answers the job table at %s', async path => {
    const body = await (await server.get(path)).json() as {jobs: Array<{displayName: string}>; total: number; limit: number};

    expect(body.jobs.map(job => job.displayName)).toEqual(['mnasnet', 'failed-one']);
    expect(body).toMatchObject({total: 2, limit: 500, truncated: false, viewer: null, refreshSeconds: 5});
  });

  it.each([
    ['state=FAILED', ['failed-one']],
    ['team=vision', ['mnasnet']],
    ['project=nas-dev-a&state=RUNNING', []],
  ])('filters the table by %s', async (query, names) => {
    const body = await (await server.get(`/api/jobs?${query}`)).json() as {jobs: Array<{displayName: string}>; facets: unknown};

    expect(body.jobs.map(job => job.displayName)).toEqual(names);
    expect(body.facets).toEqual({states: ['FAILED', 'RUNNING'], teams: ['nlp', 'vision'], projects: ['nas-dev-a', 'nas-prod']});
  });

  it('answers one job with its timeline and trial curve', async () => {
    const response = await server.get(`/dashboard/api/jobs/${jobs[0]!.id}`);
    const body = await response.json() as {job: {displayName: string}; timeline: {lanes: unknown[]}; trials: {status: string; curves: Array<{points: unknown[]}>}};

    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.job.displayName).toBe('mnasnet');
    expect(body.timeline.lanes).toHaveLength(2);
    expect(body.trials.curves[0]!.points).toHaveLength(2);
  });

  it.each([
    ['an unknown job', 'GET', '/api/jobs/projects~1~locations~x~nasJobs~404', 404, 'NOT_FOUND'],
    ['an id that is no document id', 'GET', '/api/jobs/%2e%2e%2fsecrets', 404, 'NOT_FOUND'],
    ['an unknown API path', 'GET', '/api/secrets', 404, 'NOT_FOUND'],
    ['a POST', 'POST', '/api/jobs', 405, 'INVALID_ARGUMENT'],
  ])('refuses %s in the error envelope', async (_, method, path, status, code) => {
    const response = await fetch(`${server.base}${path}`, {method});
    const body = await response.json() as {error: {code: number; status: string}};

    expect([response.status, body.error.status]).toEqual([status, code]);
  });

  it('answers 500 without internals when its dependencies fail, and logs why', async () => {
    failing = true;
    const response = await server.get('/api/jobs');
    failing = false;

    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret internal detail');
    expect(server.lines.some(line => line.includes('secret internal detail'))).toBe(true);
  });
});
