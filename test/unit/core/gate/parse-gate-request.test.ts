import {describe, expect, it} from 'vitest';
import {aNasJobDraft} from '../../../factories.js';
import {parseGateRequest} from '../../../../shared/core/gate/parse-gate-request.js';
import {createBody, gateErrorOf, JOB, JOBS, reasonOf} from './gate-test-kit.js';

const target = {project: 'demo-nasmon', location: 'us-central1', parent: 'projects/demo-nasmon/locations/us-central1'};
const name = `${target.parent}/nasJobs/1234567890123456789`;

describe('parseGateRequest', () => {
  it('parses a create with its query and body', () => {
    expect(parseGateRequest({method: 'POST', target: `${JOBS}?validateOnly=true&requestId=r-1`, body: createBody()})).toEqual({
      ...target, action: 'create', validateOnly: true, requestId: 'r-1', body: aNasJobDraft(),
    });
  });

  it('parses cancel (with or without {}), delete and get', () => {
    const job = {...target, jobId: '1234567890123456789', name};
    expect(parseGateRequest({method: 'POST', target: `${JOB}:cancel`, body: undefined})).toEqual({...job, action: 'cancel'});
    expect(parseGateRequest({method: 'POST', target: `${JOB}:cancel`, body: {}})).toEqual({...job, action: 'cancel'});
    expect(parseGateRequest({method: 'DELETE', target: JOB, body: undefined})).toEqual({...job, action: 'delete'});
    expect(parseGateRequest({method: 'GET', target: `${JOB}?`, body: undefined})).toEqual({...job, action: 'get'});
  });

  it('parses a list with its paging', () => {
    expect(parseGateRequest({method: 'GET', target: `${JOBS}?pageSize=10&pageToken=abc`, body: undefined})).toEqual({
      ...target, action: 'list', query: {pageSize: 10, pageToken: 'abc'},
    });
  });

  it.each([
    ['a create without body', 'POST', JOBS, undefined, 'MISSING_BODY', /create needs a JSON body/],
    ['a cancel with fields', 'POST', `${JOB}:cancel`, {force: true}, 'UNEXPECTED_BODY', /cancel takes no body fields/],
    ['a get with a body', 'GET', JOB, {}, 'UNEXPECTED_BODY', /get takes no request body/],
    ['a list with a body', 'GET', JOBS, [], 'UNEXPECTED_BODY', /list takes no request body/],
    ['a delete with a body', 'DELETE', JOB, 'x', 'UNEXPECTED_BODY', /delete takes no request body/],
    ['a fragment', 'GET', `${JOB}#x`, undefined, 'INVALID_PATH', /fragment/],
    ['an invalid body', 'POST', JOBS, {displayName: ''}, 'INVALID_NAS_JOB', /invalid NasJob/],
  ])('refuses %s', (_, method, path, body, reason, message) => {
    const error = gateErrorOf(() => parseGateRequest({method, target: path, body}));
    expect([error.httpStatus, reasonOf(error)]).toEqual([400, reason]);
    expect(error.message).toMatch(message);
  });

  it('checks the path before the query, and the query before the body', () => {
    expect(reasonOf(gateErrorOf(() => parseGateRequest({method: 'POST', target: `${JOBS}/x?bad=1`, body: 1})))).toBe('INVALID_RESOURCE_NAME');
    expect(reasonOf(gateErrorOf(() => parseGateRequest({method: 'POST', target: `${JOBS}?bad=1`, body: 1})))).toBe('INVALID_QUERY');
  });
});
