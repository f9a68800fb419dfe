import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {JOB_STATE} from '../../../../shared/core/vertex/enums.js';
import {parseGoogleError} from '../../../../shared/core/vertex/parse-google-error.js';
import {parseListNasJobsResponse, parseNasJobsPage, parseNasTrialDetailsPage} from '../../../../shared/core/vertex/parse-list.js';
import {parseNasJob} from '../../../../shared/core/vertex/parse-nas-job.js';
import {parseNasTrialDetail} from '../../../../shared/core/vertex/parse-nas-trial.js';
import {parseOperation} from '../../../../shared/core/vertex/parse-operation.js';
import {PayloadInvalidError} from '../../../../shared/core/vertex/payload-error.js';
import {UnknownEnum} from '../../../../shared/core/vertex/proto-enum.js';
import {toRestJson} from '../../../../shared/core/vertex/rest-json.js';
import {VertexApiError} from '../../../../shared/core/vertex/vertex-api-error.js';
import {vertexFixture} from '../../../factories.js';
import {mutated, snakeCaseKeys} from './json-mutations.js';
import {nasJobShape, nasTrialDetailShape, operationShape, shapeProblems} from './model-shape.js';

const RUNS = {numRuns: 400};
const JOB_FIXTURES = ['nas-job-running.json', 'nas-job-failed-before-running.json', 'nas-job-cancelled.json', 'nas-job-numeric-enums.json'];
const anyJob = fc.constantFrom(...JOB_FIXTURES).chain(file => mutated(vertexFixture(file)));
const trialDetail = (vertexFixture('list-nas-trial-details-page.json')['nasTrialDetails'] as unknown[])[0];

/** Runs a parser: a value with the right shape, or a PayloadInvalidError — never anything else. */
function expectValueOrTypedError<T>(parse: () => T, check: (value: T) => string[]): void {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadInvalidError);
    expect((error as PayloadInvalidError).path).toMatch(/^\$/);
    return;
  }
  expect(check(value)).toEqual([]);
}

describe('parsers on arbitrary JSON', () => {
  it('parseNasJob returns a well-typed job or throws payload-invalid', () => {
    fc.assert(fc.property(fc.jsonValue(), json => expectValueOrTypedError(() => parseNasJob(json), v => shapeProblems(nasJobShape, v))), RUNS);
  });

  it('the list, trial and operation parsers return well-typed values or throw payload-invalid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), json => {
        expectValueOrTypedError(() => parseListNasJobsResponse(json), v => v.nasJobs.flatMap(j => shapeProblems(nasJobShape, j)));
        expectValueOrTypedError(() => parseNasTrialDetail(json), v => shapeProblems(nasTrialDetailShape, v));
        expectValueOrTypedError(() => parseOperation(json), v => shapeProblems(operationShape, v));
      }),
      RUNS,
    );
  });

  it('parseGoogleError never throws and keeps the HTTP status', () => {
    fc.assert(
      fc.property(fc.integer({min: 400, max: 599}), fc.oneof(fc.jsonValue(), fc.string()), (status, body) => {
        const error = parseGoogleError(status, body);
        expect(error).toBeInstanceOf(VertexApiError);
        expect(error.httpStatus).toBe(status);
        expect(typeof error.status === 'string' && typeof error.serverMessage === 'string').toBe(true);
      }),
      RUNS,
    );
  });
});

describe('parsers on mutated valid responses', () => {
  it('parseNasJob returns a well-typed job or throws payload-invalid', () => {
    fc.assert(fc.property(anyJob, json => expectValueOrTypedError(() => parseNasJob(json), v => shapeProblems(nasJobShape, v))), RUNS);
  });

  it('whatever parseNasJob accepts survives a REST JSON round trip unchanged', () => {
    fc.assert(
      fc.property(anyJob, json => {
        let job;
        try {
          job = parseNasJob(json);
        } catch {
          return;
        }
        expect(parseNasJob(toRestJson(job))).toEqual(job);
      }),
      RUNS,
    );
  });

  it('parseNasJobsPage never loses a valid job because a neighbour is garbage', () => {
    const good = vertexFixture('nas-job-running.json');
    fc.assert(
      fc.property(anyJob, fc.nat({max: 2}), (bad, at) => {
        const jobs = [good, good, good];
        jobs[at] = bad as Record<string, unknown>;
        let page;
        try {
          page = parseNasJobsPage({nasJobs: jobs});
        } catch (error) {
          expect.unreachable(`a page with a valid envelope threw ${String(error)}`);
        }
        expect(page.items.length + page.invalid.length).toBe(3);
        expect(page.items.length).toBeGreaterThanOrEqual(2);
        page.invalid.forEach(item => expect(item.error.path.startsWith(item.path)).toBe(true));
      }),
      RUNS,
    );
  });

  it('trial details and operations return well-typed values or throw payload-invalid', () => {
    fc.assert(
      fc.property(mutated(trialDetail), mutated(vertexFixture('delete-operation.json')), (detail, operation) => {
        expectValueOrTypedError(() => parseNasTrialDetail(detail), v => shapeProblems(nasTrialDetailShape, v));
        expectValueOrTypedError(() => parseNasTrialDetailsPage({nasTrialDetails: [detail]}), () => []);
        expectValueOrTypedError(() => parseOperation(operation), v => shapeProblems(operationShape, v));
      }),
      RUNS,
    );
  });
});

describe('parsers on specific mutations', () => {
  it('maps any integer state to its name, or keeps it as an UnknownEnum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({min: -3, max: 20}), fc.maxSafeInteger()), state => {
        const parsed = parseNasJob({...vertexFixture('nas-job-running.json'), state}).state;
        expect(parsed).toEqual(JOB_STATE.nameOf.get(state) ?? new UnknownEnum('JobState', state));
      }),
    );
  });

  it('reads snake_case member names exactly like camelCase ones', () => {
    fc.assert(
      fc.property(fc.constantFrom(...JOB_FIXTURES), file => {
        const json = vertexFixture(file);
        expect(parseNasJob(snakeCaseKeys(json))).toEqual(parseNasJob(json));
      }),
    );
    const operation = vertexFixture('delete-operation.json');
    expect(parseOperation(snakeCaseKeys(operation))).toEqual(parseOperation(operation));
  });

  it('rejects a non-string in any timestamp member with the member’s path', () => {
    const members = ['createTime', 'startTime', 'endTime', 'updateTime'];
    fc.assert(
      fc.property(fc.constantFrom(...members), fc.oneof(fc.integer(), fc.boolean(), fc.object(), fc.string()), (member, value) => {
        fc.pre(typeof value !== 'string' || !/^\d{4}-/.test(value));
        expect(() => parseNasJob({...vertexFixture('nas-job-running.json'), [member]: value})).toThrow(
          expect.objectContaining({path: `$.${member}`}),
        );
      }),
    );
  });
});

describe('the model shape oracle itself', () => {
  it.each([
    ['a state that is not a JobState', {state: 'RUNNING'}, '$.state'],
    ['an UnknownEnum hiding a known number', {state: new UnknownEnum('JobState', 3)}, '$.state'],
    ['a number timestamp', {createTime: 5}, '$.createTime'],
    ['a present-but-undefined optional', {startTime: undefined}, '$.startTime'],
    ['a stray member', {extra: 1}, '$: stray member extra'],
  ])('flags %s', (_, override, expected) => {
    const job = {...parseNasJob(vertexFixture('nas-job-running.json')), ...override};
    expect(shapeProblems(nasJobShape, job).join('\n')).toContain(expected);
  });
});
