// Thousands of generated bad requests against the whole nasJobsApi over real HTTP (functions-framework,
// the emulators, the simulator): a valid call of each kind with one to three defects. Every one must
// get a 4xx in Google's error envelope with a message, never a 5xx, and must never reach Vertex.
// gate-edge.property.test.ts covers the edge alone (any request, 2xx allowed); this one covers the
// whole gate, where a request that slipped through would cost a Vertex call.
import http from 'node:http';
import fc from 'fast-check';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {AUDIENCE, goodJob, LOCATION, PROJECT, startGateFixture, type GateFixture} from './gate-api.support.js';
import {badRequest} from './gate-bad-requests.js';
import {envelopeProblems, sendRaw} from './raw-http.support.js';

const RUNS = Number(process.env.NASMON_GATE_PROPERTY_RUNS ?? 2000);
const projectId = testProjectId(import.meta.url);

describeWithEmulators('nasJobsApi refuses bad requests before Vertex (properties over HTTP)', () => {
  let g: GateFixture;
  let agent: http.Agent;
  beforeAll(async () => {
    g = await startGateFixture(projectId, 'nasJobsApiProperty');
    agent = new http.Agent({keepAlive: true, maxSockets: 4});
  });
  afterAll(async () => {
    agent?.destroy();
    await g?.closeGate();
  });

  it(`answers ${RUNS} generated bad requests with a 4xx envelope and no call to Vertex`, async () => {
    const tokens = {issuer: g.issuer, audience: AUDIENCE, validEmail: 'dave@example.com', unknownEmail: 'stranger@elsewhere.org',
      bearer: (email: string) => `Bearer ${g.token(email)}`};
    const arbitrary = badRequest({tokens, validBody: goodJob(), project: PROJECT, location: LOCATION});
    let calls = await g.simCalls();
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({request, defects}) => {
        const response = await sendRaw(g.port, agent, request);
        // Compared with the count after the previous call, so a shrunk counterexample is the call
        // that reached Vertex, not any call after it.
        const [before, after] = [calls, (calls = await g.simCalls())];
        const context = `[${defects.join(', ')}] ${request.method} ${request.path} -> ${response.status} ${response.text.slice(0, 300)}`;
        expect(after, `${context}: reached Vertex`).toBe(before);
        expect(response.status, context).toBeGreaterThanOrEqual(400);
        expect(response.status, context).toBeLessThan(500);
        expect(envelopeProblems(response), context).toEqual([]);
      }),
      {numRuns: RUNS},
    );
  }, 120_000);
});
