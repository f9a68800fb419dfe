import {describe, expect, it} from 'vitest';
import {parseGateQuery} from '../../../../shared/core/gate/parse-gate-query.js';
import {gateErrorOf, reasonOf, violationsOf} from './gate-test-kit.js';

describe('parseGateQuery', () => {
  it('reads validateOnly and requestId of a create', () => {
    expect(parseGateQuery('create', '')).toEqual({action: 'create', validateOnly: false});
    expect(parseGateQuery('create', 'validateOnly=true&requestId=build-42_a')).toEqual({
      action: 'create', validateOnly: true, requestId: 'build-42_a',
    });
    expect(parseGateQuery('create', 'validateOnly=false')).toEqual({action: 'create', validateOnly: false});
  });

  it('defaults, caps and keeps the paging of a list (AIP-158)', () => {
    expect(parseGateQuery('list', '')).toEqual({action: 'list', query: {pageSize: 50}});
    expect(parseGateQuery('list', 'pageSize=0')).toEqual({action: 'list', query: {pageSize: 50}});
    expect(parseGateQuery('list', 'pageSize=1000&pageToken=abc_DEF-12%3D')).toEqual({
      action: 'list', query: {pageSize: 100, pageToken: 'abc_DEF-12='},
    });
    expect(parseGateQuery('list', 'pageToken=')).toEqual({action: 'list', query: {pageSize: 50}});
  });

  it('parses a percent-encoded filter', () => {
    const parsed = parseGateQuery('list', `filter=${encodeURIComponent('state="JOB_STATE_RUNNING" AND labels.team=vision')}`);
    expect(parsed).toEqual({
      action: 'list',
      query: {
        pageSize: 50,
        filter: {
          text: 'state="JOB_STATE_RUNNING" AND labels.team=vision',
          terms: [{field: 'state', op: '=', value: 'JOB_STATE_RUNNING'}, {field: 'label', key: 'team', op: '=', value: 'vision'}],
        },
      },
    });
  });

  it.each([
    ['create', 'validateOnly=yes', 'validateOnly', /must be true or false, got "yes"/],
    ['create', 'validateOnly=TRUE', 'validateOnly', /must be true or false/],
    ['create', 'validateOnly', 'validateOnly', /must be true or false, got ""/],
    ['create', 'validateOnly=1', 'validateOnly', /must be true or false/],
    ['create', 'requestId=Has-Upper', 'requestId', /lowercase letters, digits/],
    ['create', `requestId=${'a'.repeat(64)}`, 'requestId', /1 to 63 characters/],
    ['create', 'requestId=', 'requestId', /1 to 63/],
    ['create', 'requestId=a%20b', 'requestId', /lowercase/],
    ['create', 'validate_only=true', 'validate_only', /unknown query parameter \(did you mean "validateOnly"\?\); create accepts validateOnly, requestId/],
    ['create', 'pageSize=5', 'pageSize', /unknown query parameter; create accepts/],
    ['get', 'validateOnly=true', 'validateOnly', /get takes no query parameters/],
    ['cancel', 'force=true', 'force', /cancel takes no query parameters/],
    ['list', 'pageSize=-1', 'pageSize', /non-negative integer, got "-1"/],
    ['list', 'pageSize=ten', 'pageSize', /non-negative integer/],
    ['list', 'pageSize=1.5', 'pageSize', /non-negative integer/],
    ['list', 'pageToken=a/b', 'pageToken', /not a page token/],
    ['list', 'filter=OR', 'filter', /OR is not supported/],
    ['list', 'readMask=name', 'readMask', /list accepts pageSize, pageToken, filter/],
    ['list', 'page%ZZSize=1', 'page%ZZSize', /not validly percent-encoded/],
    ['list', 'pageSize=1&pageSize=2', 'pageSize', /given more than once/],
    ['list', 'pageSize=1&&filter=', '', /empty query parameter/],
    ['list', '=1', '', /empty query parameter/],
    ['list', 'a[b]=1', 'a[b]', /unknown query parameter/],
  ])('refuses %s ?%s at %s', (action, query, field, message) => {
    const error = gateErrorOf(() => parseGateQuery(action as 'create', query));
    expect([error.httpStatus, reasonOf(error)]).toEqual([400, 'INVALID_QUERY']);
    expect(violationsOf(error)).toContainEqual({field, description: expect.stringMatching(message)});
  });

  it('reports every bad parameter at once', () => {
    const error = gateErrorOf(() => parseGateQuery('create', 'validateOnly=maybe&requestId=UPPER&colour=red'));
    expect(violationsOf(error).map(v => v.field).sort()).toEqual(['colour', 'requestId', 'validateOnly']);
    expect(error.message).toMatch(/^invalid query parameter colour: unknown query parameter/);
  });

  it('refuses an overlong query string', () => {
    expect(gateErrorOf(() => parseGateQuery('list', `filter=${'x'.repeat(5000)}`)).message).toMatch(/longer than 4096/);
  });
});
