import {request} from 'node:http';
import {describe, expect, it} from 'vitest';
import {admin, advance, api, call, createOk, PARENT, useSimulator} from './support.js';

const ctx = useSimulator();
const NUMERIC = '?%24alt=json%3Benum-encoding%3Dint';

describe('numeric enums ($alt=json;enum-encoding=int)', () => {
  it('answers get with numeric enums in the job, its spec and its trials', async () => {
    const job = await createOk(ctx.sim);
    await advance(ctx.sim, 400); // past the longest pending phase (300 s), trials requested
    const reply = await api.get(ctx.sim, job.name, NUMERIC);
    expect(reply.body.state).toBe(3);
    const spec = reply.body.nasJobSpec.multiTrialAlgorithmSpec;
    expect(spec.multiTrialAlgorithm).toBe(1);
    expect(spec.metric.goal).toBe(1);
    expect(spec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[0].machineSpec.acceleratorType).toBe(5);
    const states = reply.body.nasJobOutput.multiTrialJobOutput.searchTrials.map((t: any) => t.state);
    expect(states.every((s: unknown) => typeof s === 'number')).toBe(true);
  });

  it('answers list with numeric states and names by default', async () => {
    expect((await api.list(ctx.sim, `${NUMERIC}&pageSize=1`)).body.nasJobs[0].state).toBeTypeOf('number');
    expect((await api.list(ctx.sim, '?pageSize=1')).body.nasJobs[0].state).toMatch(/^JOB_STATE_/);
  });

  it('accepts the literal, unencoded $alt form too', async () => {
    const reply = await call(ctx.sim, 'GET', `/v1/${PARENT}/nasJobs?$alt=json;enum-encoding=int&pageSize=1`);
    expect(reply.body.nasJobs[0].state).toBeTypeOf('number');
  });
});

describe('routing and request errors', () => {
  it('answers an unknown path with 404 NOT_FOUND in the Google envelope', async () => {
    const reply = await call(ctx.sim, 'GET', `/v1/${PARENT}/customJobs`);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({code: 404, status: 'NOT_FOUND'});
  });

  it('answers a known path with the wrong method with 405 UNIMPLEMENTED and Allow', async () => {
    const reply = await call(ctx.sim, 'PUT', `/v1/${PARENT}/nasJobs`);
    expect(reply.status).toBe(405);
    expect(reply.body.error.status).toBe('UNIMPLEMENTED');
    expect(reply.headers.get('allow')).toContain('GET');
  });

  it('rejects unknown query parameters but accepts snake_case request fields', async () => {
    expect((await api.list(ctx.sim, '?pageSise=3')).status).toBe(400);
    expect((await api.list(ctx.sim, '?page_size=1')).body.nasJobs).toHaveLength(1);
  });

  it('demands a bearer token only when requireAuth is on', async () => {
    const url = `${ctx.sim.url}/v1/${PARENT}/nasJobs?pageSize=1`;
    expect((await fetch(url)).status).toBe(200);
    await admin(ctx.sim, 'POST', 'config', {requireAuth: true});
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error.status).toBe('UNAUTHENTICATED');
    expect((await fetch(url, {headers: {authorization: 'Bearer t'}})).status).toBe(200);
    await admin(ctx.sim, 'POST', 'config', {requireAuth: false});
  });

  it('pretty-prints JSON like Google unless prettyPrint=false', async () => {
    const pretty = await (await fetch(`${ctx.sim.url}/v1/${PARENT}/nasJobs?pageSize=1`)).text();
    const compact = await (await fetch(`${ctx.sim.url}/v1/${PARENT}/nasJobs?pageSize=1&prettyPrint=false`)).text();
    expect(pretty).toContain('\n  ');
    expect(compact).not.toContain('\n');
    expect(JSON.parse(compact)).toEqual(JSON.parse(pretty));
  });

  it.each([
    ['us-central1-aiplatform.googleapis.com', 200],
    ['europe-west4-aiplatform.googleapis.com', 400],
    ['aiplatform.googleapis.com', 200],
    ['localhost', 200],
  ])('checks the regional endpoint when Host is %s', async (host, expected) => {
    const {status, body} = await rawGet(ctx.sim.port, `/v1/${PARENT}/nasJobs?pageSize=1`, host);
    expect(status).toBe(expected);
    if (expected === 400) {
      expect(body.error.details[0].fieldViolations[0].field).toBe('parent');
      expect(body.error.message).toContain("doesn't match the endpoint");
    }
  });
});

/** fetch cannot set Host, so this goes through node:http (still a real loopback connection). */
function rawGet(port: number, path: string, host: string): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path, headers: {host}}, res => {
      let text = '';
      res.on('data', chunk => (text += chunk));
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text)}));
    });
    req.on('error', reject);
    req.end();
  });
}
