import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isGateError} from '../../../../shared/core/gate/gate-error.js';
import {parseGateRequest} from '../../../../shared/core/gate/parse-gate-request.js';
import {parseCreateBody} from '../../../../shared/core/gate/validate-create-body.js';
import {toRestJson} from '../../../../shared/core/vertex/rest-json.js';
import {mutated, pathsOf, replaceAt} from '../vertex/json-mutations.js';
import {createBody} from './gate-test-kit.js';

const RUNS = {numRuns: 1000};

const segment = fc.oneof(
  fc.constantFrom('v1', 'projects', 'locations', 'nasJobs', 'demo-nasmon', 'us-central1', '123', '1:cancel', '..', '.', '', '%2F', '%2e', 'a b', '\\'),
  fc.string({maxLength: 12}),
);
const target = fc.tuple(fc.array(segment, {maxLength: 9}), fc.option(fc.string({maxLength: 30}), {nil: undefined}))
  .map(([segments, query]) => `/${segments.join('/')}${query === undefined ? '' : `?${query}`}`);
const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS', 'get');
const body = fc.oneof(fc.constant(undefined), fc.jsonValue({maxDepth: 3}), mutated(createBody()));

describe('parseGateRequest (properties)', () => {
  it('either parses or throws a 4xx GateError with a message, for any input', () => {
    fc.assert(
      fc.property(method, fc.oneof(target, fc.string({maxLength: 80})), body, (m, t, b) => {
        try {
          parseGateRequest({method: m, target: t, body: b});
        } catch (error) {
          expect(isGateError(error)).toBe(true);
          if (!isGateError(error)) return;
          expect(error.httpStatus).toBeGreaterThanOrEqual(400);
          expect(error.httpStatus).toBeLessThan(500);
          expect(error.message.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('keeps the project, location and job ID of every valid job path', () => {
    const project = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/), fc.stringMatching(/^\d{6,20}$/));
    const location = fc.stringMatching(/^[a-z]{2,12}-[a-z]{2,12}\d$/);
    const jobId = fc.bigInt({min: 1n, max: 2n ** 63n - 1n}).map(String);
    fc.assert(
      fc.property(project, location, jobId, (p, l, id) => {
        expect(parseGateRequest({method: 'GET', target: `/v1/projects/${p}/locations/${l}/nasJobs/${id}`, body: undefined})).toEqual({
          action: 'get', project: p, location: l, jobId: id, parent: `projects/${p}/locations/${l}`,
          name: `projects/${p}/locations/${l}/nasJobs/${id}`,
        });
      }),
      RUNS,
    );
  });
});

describe('parseCreateBody (properties)', () => {
  it('returns a draft that parses back to itself, or a 400 listing at least one violation', () => {
    fc.assert(
      fc.property(mutated(createBody()), b => {
        try {
          const draft = parseCreateBody(b);
          expect(parseCreateBody(toRestJson(draft))).toEqual(draft);
        } catch (error) {
          if (!isGateError(error)) throw error;
          expect(error.httpStatus).toBe(400);
          const bad = error.details.find(d => d.kind === 'BadRequest');
          expect(bad?.kind === 'BadRequest' && bad.fieldViolations.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('refuses an unknown member wherever it is added', () => {
    const valid = createBody();
    const objects = pathsOf(valid).filter(path => {
      let node: unknown = valid;
      for (const key of path) node = (node as Record<string | number, unknown>)[key];
      return typeof node === 'object' && node !== null && !Array.isArray(node) && path.at(-1) !== 'labels';
    });
    fc.assert(
      fc.property(fc.constantFrom(...objects), fc.stringMatching(/^[a-z][A-Za-z]{2,10}Typo$/), (path, key) => {
        const body = replaceAt(valid, path, old => ({...(old as object), [key]: 1}));
        try {
          parseCreateBody(body);
          expect.unreachable('an unknown member was accepted');
        } catch (error) {
          if (!isGateError(error)) throw error;
          expect(JSON.stringify(error.details)).toContain(`unknown field \\"${key}\\"`);
        }
      }),
      RUNS,
    );
  });
});
