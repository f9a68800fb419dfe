import {describe, expect, it} from 'vitest';
import {facetsOf, filterRows, NO_TEAM, parseRowFilter, toJobRow, type RowFilter} from '../../../../shared/core/dashboard/index.js';
import {aDashboardJob, NOW} from './dashboard-kit.js';

const rows = [
  toJobRow(aDashboardJob({displayName: 'a'}), undefined, NOW),
  toJobRow(aDashboardJob({displayName: 'b', state: 'JOB_STATE_FAILED', labels: {team: 'nlp'}}, {state: 'JOB_STATE_FAILED'}, {project: 'nas-dev-a'}), undefined, NOW),
  toJobRow(aDashboardJob({displayName: 'c', labels: {}}, {}, {project: 'nas-dev-a'}), undefined, NOW),
];

describe('filterRows', () => {
  it.each<[string, RowFilter, string[]]>([
    ['no filter', {}, ['a', 'b', 'c']],
    ['a state', {state: 'RUNNING'}, ['a', 'c']],
    ['a team', {team: 'nlp'}, ['b']],
    ['jobs without a team', {team: NO_TEAM}, ['c']],
    ['a project', {project: 'nas-dev-a'}, ['b', 'c']],
    ['all three at once', {state: 'RUNNING', project: 'nas-dev-a', team: NO_TEAM}, ['c']],
    ['a value nobody has', {state: 'PAUSED'}, []],
  ])('keeps the rows of %s', (_, filter, names) => {
    expect(filterRows(rows, filter).map(row => row.displayName)).toEqual(names);
  });
});

describe('facetsOf', () => {
  it('lists each value once, sorted, with jobs without a team as (none)', () => {
    expect(facetsOf(rows)).toEqual({states: ['FAILED', 'RUNNING'], teams: [NO_TEAM, 'nlp', 'vision'], projects: ['nas-dev-a', 'nas-prod']});
  });
});

describe('parseRowFilter', () => {
  it.each<[string, Record<string, unknown>, RowFilter]>([
    ['the three filters', {state: 'RUNNING', team: 'vision', project: 'nas-prod'}, {state: 'RUNNING', team: 'vision', project: 'nas-prod'}],
    ['empty values as no filter', {state: '', team: ''}, {}],
    ['repeated parameters (arrays) as no filter', {state: ['RUNNING', 'FAILED']}, {}],
    ['over-long values as no filter', {team: 'x'.repeat(201)}, {}],
    ['unknown parameters ignored', {job: 'x', state: 'FAILED'}, {state: 'FAILED'}],
  ])('reads %s', (_, query, filter) => {
    expect(parseRowFilter(query)).toEqual(filter);
  });
});
