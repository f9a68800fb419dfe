import {describe, expect, it} from 'vitest';
import {aNasJobDraft} from '../../../factories.js';
import {checkCreateBody, parseCreateBody} from '../../../../shared/core/gate/validate-create-body.js';
import {createBody, gateErrorOf, reasonOf, violationsOf} from './gate-test-kit.js';

const SEARCH = 'nasJobSpec.multiTrialAlgorithmSpec.searchTrialSpec';
const POOL = `${SEARCH}.searchTrialJobSpec.workerPoolSpecs[0]`;

/** A valid body with one member replaced (or removed, with `undefined`) at a dotted path. */
function bodyWith(path: string, value: unknown): Record<string, unknown> {
  const body = createBody();
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node = body as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return body;
}

const pools = (pool: Record<string, unknown>): unknown => [pool];

describe('parseCreateBody', () => {
  it('returns the draft of a valid body, as the shared decoders model it', () => {
    expect(parseCreateBody(createBody())).toEqual(aNasJobDraft());
  });

  it('accepts snake_case members, numeric strings for ints and null for unset members', () => {
    const body = createBody({display_name: 'snake', displayName: undefined, encryptionSpec: null});
    delete body.displayName;
    const spec = ((body.nasJobSpec as any).multiTrialAlgorithmSpec as any).searchTrialSpec;
    spec.max_trial_count = '30';
    delete spec.maxTrialCount;
    expect(checkCreateBody(body)).toEqual([]);
    const draft = parseCreateBody(body);
    expect(draft.displayName).toBe('snake');
    expect(draft.nasJobSpec.multiTrialAlgorithmSpec?.searchTrialSpec?.maxTrialCount).toBe(30);
  });

  it('accepts a resume without metric', () => {
    const body = bodyWith('nasJobSpec.multiTrialAlgorithmSpec.metric', undefined);
    (body.nasJobSpec as any).resumeNasJobId = '123';
    expect(checkCreateBody(body)).toEqual([]);
  });

  it.each([
    ['a typo, with a suggestion', {displayNmae: 'x'}, 'displayNmae', /unknown field "displayNmae" \(did you mean "displayName"\?\)/],
    ['an unknown member', {colour: 'red'}, 'colour', /^unknown field "colour"$/],
    ['the output-only name', {name: 'projects/p/locations/l/nasJobs/1'}, 'name', /"name" is output only: Vertex sets it/],
    ['the output-only state', {state: 'JOB_STATE_RUNNING'}, 'state', /output only/],
    ['the output-only createTime', {createTime: '2025-01-01T00:00:00Z'}, 'createTime', /output only/],
    ['the output-only nasJobOutput', {nasJobOutput: {}}, 'nasJobOutput', /output only/],
    ['a number for displayName', {displayName: 5}, 'displayName', /expected a string, got 5/],
    ['an empty displayName', {displayName: ''}, 'displayName', /required field is not set/],
    ['a 129-character displayName', {displayName: 'x'.repeat(129)}, 'displayName', /at most 128 characters long, got 129/],
    ['a string for labels', {labels: 'team=vision'}, 'labels', /expected an object of strings/],
    ['a number label value', {labels: {team: 5}}, 'labels.team', /expected a string, got 5/],
    ['an uppercase label key', {labels: {Team: 'x'}}, 'labels.Team', /must start with a lowercase letter/],
    ['a label key with a dot', {labels: {'a.b': 'x'}}, 'labels["a.b"]', /lowercase letters, digits/],
    ['a 64-character label key', {labels: {['k'.repeat(64)]: 'v'}}, `labels.${'k'.repeat(64)}`, /1 to 63 characters long, got 64/],
    ['a 64-character label value', {labels: {team: 'v'.repeat(64)}}, 'labels.team', /at most 63 characters long, got 64/],
    ['an uppercase label value', {labels: {team: 'Vision'}}, 'labels.team', /label values may contain only/],
    ['an empty label key', {labels: {'': 'x'}}, 'labels[""]', /1 to 63 characters long, got 0/],
    ['the reserved request_id label', {labels: {request_id: 'abc'}}, 'labels.request_id', /reserved: the gate sets it \(from \?requestId=, if given\)/],
    ['65 labels', {labels: Object.fromEntries(Array.from({length: 65}, (_, i) => [`k${i}`, 'v']))}, 'labels', /at most 64 labels are allowed, got 65/],
    ['a boolean as string', {enableRestrictedImageTraining: 'true'}, 'enableRestrictedImageTraining', /expected a boolean/],
    ['a bad KMS key', {encryptionSpec: {kmsKeyName: 'my-key'}}, 'encryptionSpec.kmsKeyName', /keyRings/],
    ['an array as body member', {nasJobSpec: []}, 'nasJobSpec', /expected an object, got an array/],
  ])('refuses %s', (_, overrides, field, description) => {
    const violations = checkCreateBody(createBody(overrides));
    expect(violations).toContainEqual({field, description: expect.stringMatching(description)});
  });

  it.each([
    ['maxTrialCount 0', `${SEARCH}.maxTrialCount`, 0, /required field is not set/],
    ['maxTrialCount -1', `${SEARCH}.maxTrialCount`, -1, /must be at least 1, got -1/],
    ['maxTrialCount 1.5', `${SEARCH}.maxTrialCount`, 1.5, /expected an int32 integer, got 1.5/],
    ['maxTrialCount over int32', `${SEARCH}.maxTrialCount`, 2 ** 31, /expected an int32 integer/],
    ['maxTrialCount as text', `${SEARCH}.maxTrialCount`, 'many', /expected an int32 integer, got "many"/],
    ['a missing maxParallelTrialCount', `${SEARCH}.maxParallelTrialCount`, undefined, /required field is missing/],
    ['more parallel than total trials', `${SEARCH}.maxParallelTrialCount`, 21, /must not exceed maxTrialCount \(20\), got 21/],
    ['negative maxFailedTrialCount', `${SEARCH}.maxFailedTrialCount`, -2, /must be at least 0/],
    ['an unknown algorithm', 'nasJobSpec.multiTrialAlgorithmSpec.multiTrialAlgorithm', 'GRID', /expected one of/],
    ['an unspecified goal', 'nasJobSpec.multiTrialAlgorithmSpec.metric.goal', 'GOAL_TYPE_UNSPECIFIED', /expected one of MAXIMIZE, MINIMIZE/],
    ['a metric id with spaces', 'nasJobSpec.multiTrialAlgorithmSpec.metric.metricId', 'top 1', /must not contain whitespace/],
    ['no metric and no resume', 'nasJobSpec.multiTrialAlgorithmSpec.metric', undefined, /may be omitted only with resumeNasJobId/],
    ['a non-numeric resume ID', 'nasJobSpec.resumeNasJobId', 'abc', /numeric ID of a NasJob/],
    ['no worker pools', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`, [], /required field is not set/],
    ['five worker pools', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`, [{}, {}, {}, {}, {}], /at most 4 items/],
    ['an empty chief pool', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`, [{}], /the first worker pool \(the chief\) must not be empty/],
    ['a pool with both runners', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`,
      pools({machineSpec: {machineType: 'n1-standard-4'}, containerSpec: {imageUri: 'i'}, pythonPackageSpec: {executorImageUri: 'e', packageUris: ['gs://b/p.tgz'], pythonModule: 'm'}}),
      /exactly one of containerSpec and pythonPackageSpec/],
    ['a pool without machine', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`, pools({containerSpec: {imageUri: 'i'}}), /required field is missing/],
    ['a null pool', `${SEARCH}.searchTrialJobSpec.workerPoolSpecs`, [null], /null is not allowed in a list/],
    ['accelerators without type', `${POOL}.machineSpec.acceleratorType`, undefined, /required when acceleratorCount is set/],
    ['an unknown accelerator', `${POOL}.machineSpec.acceleratorType`, 'NVIDIA_TESLA_Z9', /expected one of/],
    ['replicaCount 0', `${POOL}.replicaCount`, '0', /must be at least 1, got 0/],
    ['a relative output directory', `${SEARCH}.searchTrialJobSpec.baseOutputDirectory.outputUriPrefix`, '/tmp/out', /must be a gs:\/\/ URI/],
    ['a bad trial timeout', `${SEARCH}.searchTrialJobSpec.scheduling`, {timeout: '1 hour'}, /expected a duration such as "3600s"/],
    ['a zero trial timeout', `${SEARCH}.searchTrialJobSpec.scheduling`, {timeout: '0s'}, /must be at least 1s/],
    ['an env var that is not an identifier', `${POOL}.containerSpec.env`, [{name: '1X', value: 'v'}], /must be a C identifier/],
    ['a train spec without frequency', 'nasJobSpec.multiTrialAlgorithmSpec.trainTrialSpec',
      {trainTrialJobSpec: {workerPoolSpecs: [{machineSpec: {machineType: 'n1-standard-4'}, containerSpec: {imageUri: 'i'}}]}, maxParallelTrialCount: 1},
      /required field is missing/],
  ])('refuses %s', (_, path, value, description) => {
    expect(checkCreateBody(bodyWith(path, value))).toContainEqual({field: expect.any(String), description: expect.stringMatching(description)});
  });

  it('names the JSON path of a deep violation', () => {
    expect(checkCreateBody(bodyWith(`${POOL}.machineSpec.machineType`, 'N1 Standard'))).toEqual([
      {field: `${POOL}.machineSpec.machineType`, description: expect.stringMatching(/machine type such as "n1-standard-8"/)},
    ]);
  });

  it('reports every problem at once, in one 400 with BadRequest field violations', () => {
    const error = gateErrorOf(() => parseCreateBody(createBody({name: 'x', displayName: 7, colour: 1, labels: {Bad: 'x'}})));
    expect([error.httpStatus, error.status, reasonOf(error)]).toEqual([400, 'INVALID_ARGUMENT', 'INVALID_NAS_JOB']);
    expect(violationsOf(error).map(v => v.field)).toEqual(['displayName', 'name', 'colour', 'labels.Bad']);
    expect(error.message).toBe('invalid NasJob: displayName: expected a string, got 7 (and 3 more problems, listed in details)');
  });

  it('refuses bodies that are not objects', () => {
    for (const body of [null, [], 'x', 5, true]) {
      expect(checkCreateBody(body)).toEqual([{field: '', description: 'the request body must be a JSON object (a NasJob)'}]);
    }
  });

  it('caps the reported violations at 100 but counts them all', () => {
    const error = gateErrorOf(() => parseCreateBody(createBody({labels: Object.fromEntries(Array.from({length: 150}, (_, i) => [`K${i}`, 'v']))})));
    expect(violationsOf(error)).toHaveLength(100);
    expect(error.message).toMatch(/and 150 more problems/);
  });

  it('survives hostile member names', () => {
    const body = createBody({['__proto__']: {x: 1}, constructor: 1, ['a'.repeat(10_000)]: 1});
    expect(checkCreateBody(JSON.parse(JSON.stringify(body)))).toContainEqual({field: 'constructor', description: 'unknown field "constructor"'});
  });
});
