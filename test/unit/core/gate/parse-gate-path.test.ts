import {describe, expect, it} from 'vitest';
import {parseGatePath} from '../../../../shared/core/gate/parse-gate-path.js';
import {gateErrorOf, JOB, JOBS, PARENT_PATH, reasonOf, violationsOf} from './gate-test-kit.js';

describe('parseGatePath', () => {
  it.each([
    ['POST', JOBS, {action: 'create'}],
    ['GET', JOBS, {action: 'list'}],
    ['GET', JOB, {action: 'get', jobId: '1234567890123456789'}],
    ['DELETE', JOB, {action: 'delete', jobId: '1234567890123456789'}],
    ['POST', `${JOB}:cancel`, {action: 'cancel', jobId: '1234567890123456789'}],
  ])('routes %s %s', (method, path, expected) => {
    expect(parseGatePath(method, path)).toEqual({project: 'demo-nasmon', location: 'us-central1', ...expected});
  });

  it('accepts project numbers and long region names', () => {
    expect(parseGatePath('GET', '/v1/projects/123456789012/locations/northamerica-northeast1/nasJobs/7')).toMatchObject({
      project: '123456789012', location: 'northamerica-northeast1', jobId: '7',
    });
  });

  it.each([
    ['/v1/projects/demo-nasmon/locations/us-central1/../../projects/other/locations/us-central1/nasJobs', 'PATH_TRAVERSAL', /path traversal/],
    [`${JOBS}/./1`, 'PATH_TRAVERSAL', /path traversal/],
    [`${JOBS}/..`, 'PATH_TRAVERSAL', /path traversal/],
    [`${PARENT_PATH}%2FnasJobs`, 'ENCODED_SLASH', /encoded slashes/],
    [`${JOBS}/1%2f..%2f2`, 'ENCODED_SLASH', /encoded slashes/],
    [`${JOBS}/1%5C2`, 'ENCODED_SLASH', /backslashes/],
    [`${JOBS}\\1`, 'ENCODED_SLASH', /backslashes/],
    [`${JOBS}/%2E%2E`, 'ENCODED_PATH', /percent-encoded characters/],
    [`${JOBS}/%31`, 'ENCODED_PATH', /percent-encoded/],
    [`/v1/projects/demo-nasmon//locations/us-central1/nasJobs`, 'EMPTY_SEGMENT', /double or trailing slashes/],
    [`${JOBS}/`, 'EMPTY_SEGMENT', /double or trailing/],
    [`//v1/projects/demo-nasmon/locations/us-central1/nasJobs`, 'EMPTY_SEGMENT', /empty path segments/],
    [`${JOBS}/1 2`, 'INVALID_PATH', /characters that are not allowed/],
    ['v1/projects', 'INVALID_PATH', /absolute path/],
    [`${JOBS}/${'1'.repeat(3000)}`, 'INVALID_PATH', /longer than 2048/],
  ])('refuses %.80s with 400 %s', (path, reason, message) => {
    const error = gateErrorOf(() => parseGatePath('GET', path));
    expect([error.httpStatus, reasonOf(error)]).toEqual([400, reason]);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['/'],
    ['/v2/projects/demo-nasmon/locations/us-central1/nasJobs'],
    ['/v1/projects/demo-nasmon/locations/us-central1/customJobs'],
    ['/v1/projects/demo-nasmon/locations/us-central1'],
    [`${JOB}/nasTrialDetails/1`],
    [`${JOBS}:list`],
  ])('answers 404 for paths the gate does not serve: %s', path => {
    const error = gateErrorOf(() => parseGatePath('GET', path));
    expect([error.httpStatus, error.status, reasonOf(error)]).toEqual([404, 'NOT_FOUND', 'UNKNOWN_PATH']);
    expect(error.message).toContain('/v1/projects/{project}/locations/{location}/nasJobs');
  });

  it.each([[`${JOB}:pause`], [`${JOB}:cancel:now`], [`${JOB}:`]])('answers 404 for unknown custom methods: %s', path => {
    const error = gateErrorOf(() => parseGatePath('POST', path));
    expect([error.httpStatus, reasonOf(error)]).toEqual([404, 'UNKNOWN_METHOD']);
  });

  it.each([
    ['abc', /"abc" is not a NasJob ID: IDs are numbers/],
    ['0', /not a NasJob ID/],
    ['01', /not a NasJob ID/],
    ['-1', /not a NasJob ID/],
    ['9223372036854775808', /not a NasJob ID/],
    ['1e5', /not a NasJob ID/],
  ])('refuses the job ID %s', (id, message) => {
    const error = gateErrorOf(() => parseGatePath('GET', `${JOBS}/${id}`));
    expect([error.httpStatus, reasonOf(error)]).toEqual([400, 'INVALID_RESOURCE_NAME']);
    expect(violationsOf(error)).toEqual([{field: 'nasJob', description: expect.stringMatching(message)}]);
  });

  it('reports a bad project and a bad location together', () => {
    const error = gateErrorOf(() => parseGatePath('GET', '/v1/projects/Bad_Project/locations/US/nasJobs'));
    expect(violationsOf(error).map(v => v.field)).toEqual(['project', 'location']);
  });

  it.each([
    ['PUT', JOBS, 'GET, POST'],
    ['DELETE', JOBS, 'GET, POST'],
    ['POST', JOB, 'GET, DELETE'],
    ['PATCH', JOB, 'GET, DELETE'],
    ['GET', `${JOB}:cancel`, 'POST'],
    ['HEAD', JOB, 'GET, DELETE'],
  ])('answers 405 for %s %s, naming the allowed methods', (method, path, allow) => {
    const error = gateErrorOf(() => parseGatePath(method, path));
    expect([error.httpStatus, error.headers.Allow]).toEqual([405, allow]);
  });
});
