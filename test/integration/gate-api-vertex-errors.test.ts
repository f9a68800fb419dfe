// Vertex's refusals through the gate: a 429 keeps its status, Google's envelope and its RetryInfo
// (plus a Retry-After header), and every other Vertex error reaches the caller as Vertex sent it:
// the same status, message and details as calling the simulator directly with the same request.
import {afterAll, beforeAll, beforeEach, expect, it} from 'vitest';
import {describeWithEmulators, resetFirestore, testProjectId} from '../harness/emulators.js';
import {goodJob, LOCATION, PARENT, startGateFixture, type GateFixture} from './gate-api.support.js';
import type {FaultRule} from './vertex-client.support.js';

const projectId = testProjectId(import.meta.url);
const RPC = 'type.googleapis.com/google.rpc.';
const CALLER = 'dave@example.com';

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly error: {code: number; status: string; message: string; details?: Array<Record<string, unknown>>};
}

describeWithEmulators('nasJobsApi passes Vertex errors through', () => {
  let g: GateFixture;
  beforeAll(async () => {
    g = await startGateFixture(projectId, 'nasJobsApiVertexErrors');
  });
  afterAll(async () => g?.closeGate());
  beforeEach(async () => {
    await g.sim.reset();
    await resetFirestore(projectId);
  });

  const send = async (base: string, method: string, path: string, body?: unknown, caller = CALLER): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {authorization: `Bearer ${g.token(caller)}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
      ...(body === undefined ? {} : {body: JSON.stringify(body)}),
    });
    return {status: response.status, retryAfter: response.headers.get('retry-after'), ...(await response.json() as {error: Answer['error']})};
  };
  const viaGate = (method: string, path: string, body?: unknown) => send(g.base, method, path, body);
  const direct = (method: string, path: string, body?: unknown) => send(g.sim.url, method, path, body);
  const retryDelayOf = (answer: Answer) => answer.error.details?.find(d => d['@type'] === `${RPC}RetryInfo`)?.retryDelay as string | undefined;

  it('answers a request-rate 429 from Vertex with 429, its envelope and its retry delay', async () => {
    await g.sim.quota({writesPerMinute: 1});
    expect((await viaGate('POST', `/v1/${PARENT}/nasJobs`, goodJob())).status).toBe(200); // the minute's one create
    const refused = await viaGate('POST', `/v1/${PARENT}/nasJobs`, goodJob());
    const fromVertex = await direct('POST', `/v1/${PARENT}/nasJobs`, goodJob());

    expect(refused.status).toBe(429);
    expect(refused.error).toMatchObject({code: 429, status: 'RESOURCE_EXHAUSTED', message: fromVertex.error.message});
    expect(refused.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({'@type': `${RPC}ErrorInfo`, reason: 'RATE_LIMIT_EXCEEDED', domain: 'aiplatform.googleapis.com'}),
      expect.objectContaining({'@type': `${RPC}QuotaFailure`}),
    ]));
    const delay = retryDelayOf(refused);
    expect(delay).toMatch(/^\d+s$/);
    // Both answers came within a second or two of each other from a bucket that refills once a minute.
    expect(Math.abs(parseInt(delay!, 10) - parseInt(retryDelayOf(fromVertex)!, 10))).toBeLessThanOrEqual(2);
    expect(refused.retryAfter).toBe(String(parseInt(delay!, 10)));
    expect(await g.simJobs()).toHaveLength(1);
    // The refused create's audit entry ('failed') took its intent with it: recovery has nothing to do.
    expect((await g.auditEntries()).map(entry => entry.verdict)).toEqual(['allowed', 'failed']);
    expect((await g.firestore.collection('nasmonGateIntents').get()).size).toBe(0);
  });

  const jobPath = (name: string) => `/v1/${name.replace(/^projects\/\d+\//, 'projects/nas-dev-a/')}`;
  const fault = (rule: FaultRule) => () => g.sim.fault(rule);
  const nothing = async () => undefined;
  const create = (body: unknown = goodJob()) => async () => ['POST', `/v1/${PARENT}/nasJobs`, body] as const;
  const onJob = (method: string, verb = '') => async (name: string) => [method, `${jobPath(name)}${verb}`] as const;
  // [what, arrange the simulator, the call (given a job made beforehand, for calls on a job), status, caller]
  const cases: Array<[string, () => Promise<unknown>, (job: string) => Promise<readonly [string, string, unknown?]>, number, string?]> = [
    ['an injected 429 with its own retry delay', fault({kind: 'rate-limit', method: 'POST', pathContains: '/nasJobs', rate: 1, retryDelaySeconds: 17}), create(), 429],
    ['a 429 on cancel', fault({kind: 'rate-limit', method: 'POST', pathContains: ':cancel', rate: 1, retryDelaySeconds: 30}), onJob('POST', ':cancel'), 429],
    ['an accelerator-quota 429, which has no retry delay',
      () => g.admin('POST', 'accelerator-quota', {project: 'nas-dev-a', location: LOCATION, acceleratorType: 'NVIDIA_TESLA_T4', limit: 0}), create(), 429],
    ['a 503 that outlasts the retries', fault({kind: 'unavailable', method: 'POST', pathContains: '/nasJobs', rate: 1}), create(), 503],
    ['a 504 on cancel', fault({kind: 'deadline', method: 'POST', pathContains: ':cancel', rate: 1}), onJob('POST', ':cancel'), 504],
    ['a 400 only Vertex can see (resuming a job that does not exist)', nothing, create(withResume(goodJob(), '1234567890123456789')), 400],
    // An admin is exempt from delete-finished-only, so the call reaches Vertex, which refuses it.
    ['a 400 FAILED_PRECONDITION (an admin deleting a running job)', nothing, onJob('DELETE'), 400, 'alice@example.com'],
  ];

  it.each(cases)('passes %s through as Vertex sent it', async (_, arrange, request, status, caller = CALLER) => {
    const made = await viaGate('POST', `/v1/${PARENT}/nasJobs`, goodJob()); // a job for the calls on a job
    expect(made.status).toBe(200);
    const name = ((await g.simJobs())[0]!.name) as string;
    await arrange();
    const [method, path, body] = await request(name);
    const callsBefore = await g.simCalls();
    const gate = await send(g.base, method, path, body, caller);
    expect(await g.simCalls()).toBeGreaterThan(callsBefore); // the gate did ask Vertex
    await g.sim.clearFaults();
    await arrange();
    const fromVertex = await direct(method, path, body);

    expect(gate.status).toBe(status);
    expect(fromVertex.status).toBe(status);
    expect(gate.error).toEqual({...fromVertex.error, details: fromVertex.error.details ?? []});
    const delay = retryDelayOf(gate);
    expect(gate.retryAfter).toBe(delay === undefined ? null : String(parseInt(delay, 10)));
  });
});

function withResume(job: ReturnType<typeof goodJob>, resumeNasJobId: string) {
  return {...job, nasJobSpec: {...job.nasJobSpec, resumeNasJobId}};
}
