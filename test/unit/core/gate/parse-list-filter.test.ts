import {describe, expect, it} from 'vitest';
import {parseListFilter} from '../../../../shared/core/gate/parse-list-filter.js';

describe('parseListFilter', () => {
  it('parses an AND of every supported comparison, quoted or bare', () => {
    const text = 'state!=JOB_STATE_FAILED AND display_name="my \\"job\\"" AND createTime>="2025-01-01T00:00:00Z" ' +
      'AND labels.team = "vision" AND labels.owner:* AND labels.tier!=gold';
    expect(parseListFilter(text)).toEqual({
      filter: {
        text,
        terms: [
          {field: 'state', op: '!=', value: 'JOB_STATE_FAILED'},
          {field: 'displayName', op: '=', value: 'my "job"'},
          {field: 'createTime', op: '>=', value: '2025-01-01T00:00:00Z'},
          {field: 'label', key: 'team', op: '=', value: 'vision'},
          {field: 'label', key: 'owner', op: 'has'},
          {field: 'label', key: 'tier', op: '!=', value: 'gold'},
        ],
      },
    });
  });

  it.each([
    ['state="JOB_STATE_RUNNING" OR state="JOB_STATE_FAILED"', /OR is not supported by the gate's list filter/],
    ['NOT state="JOB_STATE_RUNNING"', /NOT is not supported/],
    ['(state="JOB_STATE_RUNNING")', /parentheses are not supported/],
    ['state="RUNNING"', /unknown job state "RUNNING"/],
    ['state>"JOB_STATE_RUNNING"', /state supports = and != only/],
    ['display_name:"my_job_*"', /no ":" wildcard/],
    ['create_time>2025-01-01', /create_time needs a quoted RFC 3339 timestamp/],
    ['create_time="2025-01-01T00:00:00Z"', /create_time supports <, <=, > and >= only/],
    ['labels.Team="x"', /"Team" is not a valid label key/],
    ['labels.team:"x"', /labels.KEY:\* is the only ":" form/],
    ['update_time>"2025-01-01T00:00:00Z"', /unknown filter field "update_time"; supported: state, display_name, create_time, labels.KEY/],
    ['state="JOB_STATE_RUNNING" labels.a=b', /joined by AND/],
    ['state="JOB_STATE_RUNNING" AND', /ends with AND/],
    ['AND state="JOB_STATE_RUNNING"', /starts with AND/],
    ['a OR b', /OR is not supported/],
    ['state=', /expected comparisons/],
    ['display_name="open', /quoted value is not closed/],
    ['state ! "x"', /unexpected character "!"/],
    [Array.from({length: 21}, (_, i) => `labels.k${i}=v`).join(' AND '), /at most 20 comparisons/],
    ['x'.repeat(1025), /at most 1024 characters/],
  ])('refuses %s', (text, problem) => {
    const result = parseListFilter(text);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});
