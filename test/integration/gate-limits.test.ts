// The gate's time limits and its refusal of the local issuer in production, over real HTTP through
// functions-framework (issue 7's gate bullets; the size limits and the envelope checks are in
// gate-edge.test.ts). Three things no other test shows:
// - a client trickling its body is cut off by the body deadline (the gate's own time limit only starts
//   once the framework has the whole body), while a slow body that arrives in time goes through;
// - NASMON_GATE_TIMEOUT_MS, read by loadGateConfig, is the limit the deployed entry enforces;
// - the deployed nasJobsApi with NASMON_AUTH_MODE=local and any production marker accepts no token
//   at all, a valid local one included, and says nothing about why beyond "internal error".
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as ff from '@google-cloud/functions-framework';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
// Importing the deployed module registers `nasJobsApi` with the framework (and installs the guard).
import {nasJobsApiEntry} from '../../functions/nas-jobs-api.js';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../../shared/adapters/auth/local-issuer.js';
import {installEdgeGuard} from '../../shared/adapters/http/index.js';
import {LOCAL_DEFAULT_AUDIENCE, loadGateConfig} from '../../shared/config.js';
import {aNasJobDraft} from '../factories.js';
import {bearer, envelopeProblems, errorOf, googleToken, startEdgeServer, type EdgeServer, type RawResponse} from './gate-edge.support.js';

const JOBS = '/v1/projects/demo-nasmon/locations/us-central1/nasJobs';
const JOB = `${JOBS}/1234567890123456789`;
const BODY_TIMEOUT_MS = 400;
const issuerDir = mkdtempSync(join(tmpdir(), 'nasmon-gate-limits-'));
const localToken = () => signLocalIdToken(loadOrCreateLocalIssuer(issuerDir), {email: 'dev@example.com', audience: LOCAL_DEFAULT_AUDIENCE});
/** A gate configuration as a deployment's environment would give it, without production markers. */
const localEnv = (extra: Record<string, string> = {}) => ({
  GOOGLE_CLOUD_PROJECT: 'demo-nasmon', NASMON_TARGETS: 'demo-nasmon/us-central1', NASMON_POLICY: 'test/fixtures/policy/example.yaml',
  NASMON_AUTH_MODE: 'local', NASMON_LOCAL_ISSUER_DIR: issuerDir, ...extra,
});

// The real entry, configured from NASMON_GATE_TIMEOUT_MS, with dependencies that never come: every
// authenticated, well-formed call runs into the time limit.
ff.http('gateLimitsTimeoutUnderTest', nasJobsApiEntry(() => new Promise(() => {}), loadGateConfig(localEnv({NASMON_GATE_TIMEOUT_MS: '1000'}))));

/** Sends a POST whose body goes out in `chunks`, `gapMs` apart; resolves with the answer and when it came. */
function sendSlowly(server: EdgeServer, chunks: readonly string[], gapMs: number): Promise<RawResponse & {ms: number; sent: number}> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = http.request({
      host: '127.0.0.1', port: server.port, method: 'POST', path: JOBS, agent: false,
      headers: {...bearer(googleToken()), 'content-type': 'application/json', 'content-length': Buffer.byteLength(chunks.join(''))},
    }, res => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8'), ms: Date.now() - started, sent}));
    });
    req.on('error', error => (sent < chunks.length ? undefined : reject(error))); // writes after the answer may fail
    const next = () => {
      if (sent === chunks.length || req.destroyed) return void (sent === chunks.length && req.end());
      req.write(chunks[sent++]!);
      setTimeout(next, gapMs);
    };
    next();
  });
}

let edge: EdgeServer;
beforeAll(async () => {
  installEdgeGuard({bodyTimeoutMs: BODY_TIMEOUT_MS}); // after the imports, which installed it with defaults
  edge = await startEdgeServer();
});
afterAll(async () => {
  await edge?.close();
  rmSync(issuerDir, {recursive: true, force: true});
});

describe('the gate\'s time limits', () => {
  it('answers 408 in the envelope to a client trickling its body, at the body deadline, and closes the connection', async () => {
    const body = JSON.stringify(aNasJobDraft());
    const response = await sendSlowly(edge, [...body], 50); // a byte every 50 ms: minutes for the whole body
    expect(response.status, response.text).toBe(408);
    expect(envelopeProblems(response)).toEqual([]);
    expect(errorOf(response)).toMatchObject({status: 'DEADLINE_EXCEEDED', message: 'the request body did not arrive within 0.4 s'});
    expect(errorOf(response).details).toContainEqual(expect.objectContaining({reason: 'REQUEST_TIMEOUT', domain: 'nasmon'}));
    expect(response.headers.connection).toBe('close');
    expect(response.ms).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(response.ms).toBeLessThan(BODY_TIMEOUT_MS + 2000);
    expect(response.sent).toBeLessThan(body.length / 2);
  });

  it('lets a slow body through when it arrives within the deadline', async () => {
    const body = JSON.stringify(aNasJobDraft());
    const third = Math.ceil(body.length / 3);
    const response = await sendSlowly(edge, [body.slice(0, third), body.slice(third, 2 * third), body.slice(2 * third)], 100);
    expect(response.status, response.text).toBe(200);
  });

  it('answers 504 at NASMON_GATE_TIMEOUT_MS when the deployed entry\'s work overruns it', async () => {
    const server = await startEdgeServer('gateLimitsTimeoutUnderTest');
    try {
      const started = Date.now();
      const response = await server.send({path: JOB, headers: bearer(localToken())});
      const ms = Date.now() - started;
      expect(response.status, response.text).toBe(504);
      expect(envelopeProblems(response)).toEqual([]);
      expect(errorOf(response)).toMatchObject({status: 'DEADLINE_EXCEEDED', message: 'the gate did not finish within 1 s; the outcome is unknown'});
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(4000);
    } finally {
      await server.close();
    }
  });
});

describe('the deployed nasJobsApi with the local issuer', () => {
  const saved = {...process.env};
  afterAll(() => {
    process.env = saved;
  });

  it.each([
    ['K_SERVICE', 'nasjobsapi'], ['FUNCTION_NAME', 'nasJobsApi'], ['NASMON_ENV', 'production'],
  ])('accepts no token, a valid local one included, when %s=%s is set', async (name, value) => {
    process.env = {...saved, ...localEnv(), [name]: value};
    const server = await startEdgeServer('nasJobsApi');
    try {
      for (const headers of [bearer(localToken()), bearer(googleToken()), {}]) {
        const response = await server.send({path: JOB, headers});
        expect(response.status, response.text).toBe(500);
        expect(envelopeProblems(response)).toEqual([]);
        expect(errorOf(response).message).toBe('internal error'); // no variable name, no "local", no path
      }
    } finally {
      await server.close();
      process.env = {...saved};
    }
  });

  it('takes the same local token without production markers (the control: the token was valid)', async () => {
    process.env = {...saved, ...localEnv()};
    for (const name of ['K_SERVICE', 'FUNCTION_NAME', 'NASMON_ENV']) delete process.env[name];
    const server = await startEdgeServer('nasJobsApi');
    try {
      // A bad project is refused after authentication and before any store is touched.
      const accepted = await server.send({path: '/v1/projects/X/locations/us-central1/nasJobs', headers: bearer(localToken())});
      expect(accepted.status, accepted.text).toBe(400);
      expect(errorOf(accepted).message).toMatch(/not a project ID/);
      expect((await server.send({path: JOB, headers: bearer(googleToken())})).status).toBe(401);
    } finally {
      await server.close();
      process.env = {...saved};
    }
  });
});
