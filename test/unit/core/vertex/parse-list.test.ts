import {describe, expect, it} from 'vitest';
import {
  parseListNasJobsResponse,
  parseListNasTrialDetailsResponse,
  parseNasJobHeadsPage,
  parseNasJobsPage,
  parseNasTrialDetailsPage,
} from '../../../../shared/core/vertex/parse-list.js';
import type {NasJobHead} from '../../../../shared/core/vertex/nas-job-head.js';
import {parseNasTrialDetail} from '../../../../shared/core/vertex/parse-nas-trial.js';
import {PayloadInvalidError} from '../../../../shared/core/vertex/payload-error.js';
import {aNasJobJson, vertexFixture} from '../../../factories.js';

describe('parseListNasJobsResponse', () => {
  it('parses a page of jobs without nasJobOutput, keeping the page token', () => {
    const page = parseListNasJobsResponse(vertexFixture('list-nas-jobs-page.json'));

    expect(page.nasJobs.map(job => job.state)).toEqual(['JOB_STATE_RUNNING', 'JOB_STATE_PENDING']);
    expect(page.nasJobs.every(job => job.nasJobOutput === undefined)).toBe(true);
    expect(page.nextPageToken).toBe('Cg0KC3VzLWNlbnRyYWwxEgkI2O6Z2wYQgA');
  });

  it.each([
    ['an empty page {}', {}],
    ['an empty token', {nasJobs: [], nextPageToken: ''}],
    ['null members', {nasJobs: null, nextPageToken: null}],
  ])('reads %s as an empty last page', (_, json) => {
    expect(parseListNasJobsResponse(json)).toEqual({nasJobs: []});
  });

  it.each([
    ['nasJobs as an object', {nasJobs: {}}, '$.nasJobs'],
    ['a token as a number', {nextPageToken: 5}, '$.nextPageToken'],
    ['one job with a bad state', {nasJobs: [aNasJobJson(), aNasJobJson({state: []})]}, '$.nasJobs[1].state'],
  ])('rejects %s', (_, json, path) => {
    expect(() => parseListNasJobsResponse(json)).toThrow(PayloadInvalidError);
    expect(() => parseListNasJobsResponse(json)).toThrow(expect.objectContaining({path}));
  });
});

describe('parseNasJobsPage', () => {
  it('keeps the good jobs and reports the bad one with its path and name', () => {
    const good = aNasJobJson({name: 'projects/p/locations/l/nasJobs/1'});
    const bad = aNasJobJson({name: 'projects/p/locations/l/nasJobs/2', createTime: 'garbage'});
    const page = parseNasJobsPage({nasJobs: [good, bad, 'not even an object'], nextPageToken: 't2'});

    expect(page.items.map(job => job.name)).toEqual(['projects/p/locations/l/nasJobs/1']);
    expect(page.invalid).toEqual([
      {index: 1, path: '$.nasJobs[1]', name: 'projects/p/locations/l/nasJobs/2', error: expect.any(PayloadInvalidError)},
      {index: 2, path: '$.nasJobs[2]', error: expect.any(PayloadInvalidError)},
    ]);
    expect(page.invalid[0]?.error.path).toBe('$.nasJobs[1].createTime');
    expect(page.nextPageToken).toBe('t2');
  });

  it('still rejects a page whose envelope is wrong', () => {
    expect(() => parseNasJobsPage({nasJobs: 'x'})).toThrow(expect.objectContaining({path: '$.nasJobs'}));
    expect(() => parseNasJobsPage([])).toThrow(expect.objectContaining({path: '$'}));
  });
});

describe('trial details', () => {
  it('parses a page of trial details, best first, with and without train trials', () => {
    const page = parseListNasTrialDetailsResponse(vertexFixture('list-nas-trial-details-page.json'));

    expect(page.nextPageToken).toBeUndefined();
    expect(page.nasTrialDetails).toHaveLength(2);
    expect(page.nasTrialDetails[0]).toMatchObject({
      searchTrial: {id: '1', state: 'SUCCEEDED', finalMeasurement: {stepCount: '5000'}},
      trainTrial: {id: '1', state: 'ACTIVE'},
    });
    expect(page.nasTrialDetails[1]?.trainTrial).toBeUndefined();
  });

  it('parses one trial detail', () => {
    const json = (vertexFixture('list-nas-trial-details-page.json')['nasTrialDetails'] as unknown[])[1];
    expect(parseNasTrialDetail(json).searchTrial?.state).toBe('INFEASIBLE');
  });

  it.each([
    ['a job name instead of a trial-detail name', {name: 'projects/p/locations/l/nasJobs/1'}, '$.name'],
    ['a metric value that is not a number', {name: 'projects/p/locations/l/nasJobs/1/nasTrialDetails/1', searchTrial: {finalMeasurement: {metrics: [{value: 'high'}]}}}, '$.searchTrial.finalMeasurement.metrics[0].value'],
    ['an elapsedDuration without unit', {name: 'projects/p/locations/l/nasJobs/1/nasTrialDetails/1', searchTrial: {finalMeasurement: {elapsedDuration: '60'}}}, '$.searchTrial.finalMeasurement.elapsedDuration'],
  ])('rejects %s', (_, json, path) => {
    expect(() => parseNasTrialDetail(json)).toThrow(expect.objectContaining({code: 'payload-invalid', path}));
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['0.25', 0.25],
  ])('accepts the proto3 string form %s for a metric value', (text, value) => {
    const json = {name: 'projects/p/locations/l/nasJobs/1/nasTrialDetails/1', searchTrial: {finalMeasurement: {metrics: [{metricId: 'm', value: text}]}}};
    expect(parseNasTrialDetail(json).searchTrial?.finalMeasurement?.metrics[0]?.value).toBe(value);
  });

  it('reports one bad trial detail item by item', () => {
    const good = {name: 'projects/p/locations/l/nasJobs/1/nasTrialDetails/1'};
    const page = parseNasTrialDetailsPage({nasTrialDetails: [good, {name: 7}]});
    expect(page.items).toEqual([good]);
    expect(page.invalid).toMatchObject([{index: 1, path: '$.nasTrialDetails[1]'}]);
  });
});

describe('parseNasJobHeadsPage with the heads recorded earlier', () => {
  const NAME = 'projects/123/locations/us-central1/nasJobs/7';
  const AT = '2026-11-02T10:00:00Z';
  const recorded = new Map([
    [NAME, {state: 'JOB_STATE_RUNNING', updateTime: AT}],
    [`${NAME}0`, {state: 'JOB_STATE_NEW_IN_V2', updateTime: AT}], // as the digest keeps an unknown enum
  ]);
  const keepAll = () => true;

  it.each<[string, Record<string, unknown>]>([
    ['listed as recorded', {name: NAME, state: 'JOB_STATE_RUNNING', updateTime: AT}],
    ['listed as recorded, garbage elsewhere', {name: NAME, state: 'JOB_STATE_RUNNING', updateTime: AT, labels: 'oops'}],
    ['with another state', {name: NAME, state: 'JOB_STATE_SUCCEEDED', updateTime: AT}],
    ['with another updateTime', {name: NAME, state: 'JOB_STATE_RUNNING', updateTime: '2026-11-02T10:00:01Z'}],
    ['with the state as an enum number', {name: NAME, state: 3, updateTime: AT}],
    ['with update_time spelled in snake case', {name: NAME, state: 'JOB_STATE_RUNNING', update_time: AT}],
    ['without updateTime', {name: NAME, state: 'JOB_STATE_RUNNING'}],
    ['with an unknown state as recorded', {name: `${NAME}0`, state: 'JOB_STATE_NEW_IN_V2', updateTime: AT}],
    ['never recorded', {name: `${NAME}1`, state: 'JOB_STATE_RUNNING', updateTime: AT}],
    ['with a bad updateTime', {name: NAME, state: 'JOB_STATE_RUNNING', updateTime: 'noon'}],
    ['with a bad name', {name: 'nasJobs/7', state: 'JOB_STATE_RUNNING', updateTime: AT}],
  ])('decodes a job %s to the same head as without them', (_, item) => {
    const page = {nasJobs: [item]};
    const plain = parseNasJobHeadsPage(page, keepAll);
    const fast = parseNasJobHeadsPage(page, keepAll, recorded);

    const comparable = (heads: readonly NasJobHead[]) => heads.map(({source: _, ...head}) => head);
    expect(comparable(fast.items)).toEqual(comparable(plain.items));
    expect(fast.invalid.map(bad => bad.error.path)).toEqual(plain.invalid.map(bad => bad.error.path));
  });

  it('skips the checks and the JSON only for a job listed exactly as recorded', () => {
    const listed = {name: NAME, state: 'JOB_STATE_RUNNING', updateTime: AT};
    const page = {nasJobs: [listed, {...listed, state: 'JOB_STATE_SUCCEEDED'}]};
    const heads = parseNasJobHeadsPage(page, () => true, recorded).items;
    expect(heads.map(head => head.source === undefined)).toEqual([true, false]);
  });
});
