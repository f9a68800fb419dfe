// fast-check arbitraries of requests the gate must refuse before it calls Vertex: a valid call of
// each kind with one to three defects applied. Every defect alone is enough for a 4xx (a bad token,
// an unknown caller, a broken path, method or query, a body that is not a valid NasJob), so any
// combination is too, and the test can demand a 4xx and zero calls to Vertex for every one.
import fc from 'fast-check';
import {CREATE_BODY_RULES} from '../../shared/core/gate/create-body-schema.js';
import type {FieldType, MessageRules} from '../../shared/core/gate/strict-json.js';
import {snakeCaseOf} from '../../shared/core/vertex/json-message.js';
import {pathsOf, replaceAt} from '../unit/core/vertex/json-mutations.js';
import type {RawRequest} from './raw-http.support.js';
import {badTokens, type TokenKit} from './gate-bad-tokens.js';

type Json = unknown;
type Action = 'create' | 'cancel' | 'delete' | 'get' | 'list';

/** What the arbitraries build on: a valid body and the valid path pieces of one target. */
export interface BadRequestContext {
  readonly tokens: TokenKit;
  /** A create body the policy allows for `tokens.validEmail`. */
  readonly validBody: Record<string, unknown>;
  readonly project: string;
  readonly location: string;
}

const JOB_ID = '1234567890123456789';
const BASE_METHOD: Record<Action, string> = {create: 'POST', cancel: 'POST', delete: 'DELETE', get: 'GET', list: 'GET'};
const WRONG_METHODS: Record<Action, readonly string[]> = {
  create: ['PUT', 'PATCH', 'DELETE'], list: ['PUT', 'PATCH', 'DELETE'],
  cancel: ['GET', 'PUT', 'PATCH', 'DELETE'], delete: ['POST', 'PUT', 'PATCH'], get: ['POST', 'PUT', 'PATCH'],
};

const lower = (min: number, max: number) => fc.string({unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: min, maxLength: max});
// Characters a path segment may carry past Node's client (no "/", "?", "#", "%", spaces).
const segmentChars = fc.string({unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~:-'), minLength: 1, maxLength: 24});

/** Every member name the create body knows, in both spellings: an unknown field must be none of them. */
const KNOWN_FIELDS = new Set<string>();
(function collect(rules: MessageRules) {
  for (const [name, rule] of Object.entries(rules)) {
    KNOWN_FIELDS.add(name).add(snakeCaseOf(name));
    let type: FieldType = rule;
    while (type.t === 'list') type = type.of;
    if (type.t === 'message') collect(type.of);
  }
})(CREATE_BODY_RULES);

/** A request the gate must refuse with a 4xx without calling Vertex, and what was done to it. */
export function badRequest(ctx: BadRequestContext): fc.Arbitrary<{request: RawRequest; defects: string[]}> {
  const action = fc.constantFrom<Action>('create', 'create', 'create', 'cancel', 'delete', 'get', 'list');
  const kinds = ['token', 'caller', 'path', 'method', 'query', 'body'] as const;
  // Mostly one defect, so each check is reached on its own (an earlier check would hide a later one);
  // bodies have the most ways to be wrong, and an unknown caller costs an audit write, so it is rarer.
  const weights: Record<(typeof kinds)[number], number> = {token: 4, caller: 1, path: 4, method: 2, query: 3, body: 10};
  const one = fc.oneof(...kinds.map(kind => ({weight: weights[kind], arbitrary: fc.constant([kind])})));
  const defects = fc.oneof({weight: 4, arbitrary: one}, fc.subarray([...kinds], {minLength: 2, maxLength: 3}));
  return action.chain(act => {
    return defects.chain(chosen => fc.record({
      token: chosen.includes('token') ? badTokens(ctx.tokens) : chosen.includes('caller') ? fc.constant(ctx.tokens.bearer(ctx.tokens.unknownEmail)) : fc.constant(ctx.tokens.bearer(ctx.tokens.validEmail)),
      path: chosen.includes('path') ? badPath(ctx, act) : fc.constant(pathOf(ctx, act)),
      method: chosen.includes('method') ? fc.constantFrom(...WRONG_METHODS[act]) : fc.constant(BASE_METHOD[act]),
      query: chosen.includes('query') ? badQuery(act) : fc.constant(''),
      body: chosen.includes('body') ? badBody(ctx, act) : fc.constant(validBodyOf(ctx, act)),
    }).map(({token, path, method, query, body}) => ({
      defects: [act, ...chosen],
      request: {
        method, path: `${path}${query}`,
        headers: {...(token === undefined ? {} : {authorization: token}), ...(body.contentType === undefined ? {} : {'content-type': body.contentType})},
        ...(body.text === undefined ? {} : {body: body.text}),
      },
    })));
  });
}

interface Body {
  readonly contentType?: string;
  readonly text?: string;
}

function pathOf(ctx: BadRequestContext, action: Action): string {
  const jobs = `/v1/projects/${ctx.project}/locations/${ctx.location}/nasJobs`;
  return action === 'create' || action === 'list' ? jobs : action === 'cancel' ? `${jobs}/${JOB_ID}:cancel` : `${jobs}/${JOB_ID}`;
}

function validBodyOf(ctx: BadRequestContext, action: Action): Body {
  return action === 'create' ? {contentType: 'application/json', text: JSON.stringify(ctx.validBody)} : {};
}

// A path whose resource name the gate refuses (each alternative fails its own check in parse-gate-path.ts).
function badPath(ctx: BadRequestContext, action: Action): fc.Arbitrary<string> {
  const segments = pathOf(ctx, action).split('/');
  const at = (index: number, value: fc.Arbitrary<string>) => value.map(v => segments.map((s, i) => (i === index ? v : s)).join('/'));
  const last = segments.length - 1;
  const suffix = action === 'cancel' ? ':cancel' : '';
  const notAnId = fc.oneof(segmentChars, fc.constantFrom('0', '01', '-1', '9223372036854775808', '12345678901234567890', ''))
    .filter(id => !/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > 2n ** 63n - 1n);
  const alternatives = [
    at(3, segmentChars.filter(p => !/^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{6,20})$/.test(p))),
    at(5, segmentChars.filter(l => !/^[a-z]{2,}(?:-[a-z]+)+\d{1,2}$/.test(l))),
    at(6, segmentChars.filter(c => c !== 'nasJobs')),
    fc.tuple(fc.nat(last - 1), fc.constantFrom('..', '.', '', '%2F', '%2f', '%5C', '%2e%2e', '%zz', '%', 'a%41b', 'a\\b'))
      .map(([i, bad]) => segments.map((s, j) => (j === i + 1 ? bad : s)).join('/')),
    fc.constant(`${segments.join('/')}/`),
    fc.constant(segments.join('//')),
  ];
  if (action !== 'create' && action !== 'list') {
    alternatives.push(at(last, notAnId.map(id => `${id}${suffix}`)));
    alternatives.push(at(last, lower(1, 12).filter(v => v !== 'cancel').map(verb => `${JOB_ID}:${verb}`)));
  }
  return fc.oneof(...alternatives);
}

// A query string the gate refuses for `action`.
function badQuery(action: Action): fc.Arbitrary<string> {
  const allowed: Record<Action, readonly string[]> = {create: ['validateOnly', 'requestId'], list: ['pageSize', 'pageToken', 'filter'], cancel: [], delete: [], get: []};
  const unknown = lower(1, 16).filter(name => !allowed[action].includes(name)).map(name => `?${name}=1`);
  const byAction: fc.Arbitrary<string>[] = [unknown, fc.constantFrom('?%zz=1', '?=1', '?&')];
  if (action === 'create') {
    byAction.push(
      fc.string({maxLength: 8}).filter(v => v !== 'true' && v !== 'false').map(v => `?validateOnly=${encodeURIComponent(v)}`),
      fc.oneof(fc.string({minLength: 1, maxLength: 80}), lower(64, 90)).filter(v => !/^[a-z0-9_-]{1,63}$/.test(v)).map(v => `?requestId=${encodeURIComponent(v)}`),
      fc.constant('?validateOnly=true&validateOnly=true'),
    );
  }
  if (action === 'list') {
    byAction.push(
      fc.string({minLength: 1, maxLength: 10}).filter(v => !/^\d{1,9}$/.test(v)).map(v => `?pageSize=${encodeURIComponent(v)}`),
      fc.constantFrom('?pageToken=%21%21', '?filter=a%20OR%20b', '?filter=update_time%3E%221%22', '?pageSize=1&pageSize=2'),
    );
  }
  return fc.oneof(...byAction);
}

// A body the gate refuses: for a create, not a valid NasJob (or not JSON at all); for the others, any
// body they do not take.
function badBody(ctx: BadRequestContext, action: Action): fc.Arbitrary<Body> {
  const valid = JSON.stringify(ctx.validBody);
  const json = (value: Json): Body => ({contentType: 'application/json', text: JSON.stringify(value)});
  const notJson = fc.oneof(
    // Any proper, non-empty prefix of a JSON object is malformed (an empty one would be no body at all).
    fc.integer({min: 1, max: valid.length - 1}).map(cut => ({contentType: 'application/json', text: valid.slice(0, cut)})),
    fc.constantFrom('{', '{"a":}', '[1,', 'nul', '"x"', '1', 'true', '{"displayName": "x" "y"}', '\u0000', '{"a":1}}')
      .map(text => ({contentType: 'application/json', text})),
  );
  const wrongContentType = fc.oneof(
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=latin1',
      'application/cloudevents+json', 'application/xml', '*/*', 'application/json-patch+json'),
    fc.tuple(fc.constantFrom('text', 'application', 'image', 'x-custom'), lower(1, 12)).map(([type, sub]) => `${type}/${sub}`),
  ).filter(type => type.split(';')[0]!.trim().toLowerCase() !== 'application/json' || type.includes('latin1'))
    .map(contentType => ({contentType, text: valid}));
  if (action !== 'create') return fc.oneof(notJson, wrongContentType, fc.constant(json({name: 'x'})));
  const notAnObject = fc.jsonValue({maxDepth: 2}).filter(v => typeof v !== 'object' || v === null || Array.isArray(v)).map(json);
  return fc.oneof(notJson, wrongContentType, notAnObject, {weight: 5, arbitrary: invalidNasJob(ctx.validBody).map(json)});
}

// A JSON value that is not a valid create body: the valid one with a field that breaks its rules.
function invalidNasJob(valid: Record<string, unknown>): fc.Arbitrary<Json> {
  const paths = pathsOf(valid);
  const messages = paths.filter(p => isPlainObject(get(valid, p)) && !p.includes('labels'));
  const leaves = paths.filter(p => p.length > 0 && !isPlainObject(get(valid, p)) && !Array.isArray(get(valid, p)));
  const pool = ['nasJobSpec', 'multiTrialAlgorithmSpec', 'searchTrialSpec', 'searchTrialJobSpec', 'workerPoolSpecs', 0];
  const search = ['nasJobSpec', 'multiTrialAlgorithmSpec', 'searchTrialSpec'];
  const set = (path: readonly (string | number)[], value: Json) => replaceAt(valid, path, () => value);
  const notAScalar = fc.oneof(fc.boolean(), fc.array(fc.jsonValue({maxDepth: 1}), {maxLength: 3}), fc.dictionary(lower(1, 6), fc.jsonValue({maxDepth: 1}), {maxKeys: 3}));
  const int32Over = fc.oneof(fc.integer({min: -(2 ** 31), max: 0}), fc.integer({min: 2 ** 31, max: Number.MAX_SAFE_INTEGER}));
  return fc.oneof(
    // an unknown field, anywhere a message is
    fc.tuple(fc.constantFrom(...messages), lower(1, 20).filter(name => !KNOWN_FIELDS.has(name)), fc.jsonValue({maxDepth: 1}))
      .map(([path, name, value]) => replaceAt(valid, path, old => ({...(old as object), [name]: value}))),
    // a wrong JSON type for a scalar (booleans, arrays and objects fit no string, number or enum member)
    fc.tuple(fc.constantFrom(...leaves), notAScalar).map(([path, value]) => set(path, value)),
    // values out of range
    int32Over.map(n => set([...search, 'maxTrialCount'], n)),
    fc.integer({max: 0}).map(n => set([...search, 'maxParallelTrialCount'], n)),
    fc.integer({min: 101, max: 2 ** 31 - 1}).map(n => set([...search, 'maxParallelTrialCount'], n)),
    fc.integer({max: -1}).map(n => set([...pool, 'machineSpec', 'acceleratorCount'], n)),
    fc.integer({max: 0}).map(n => set([...pool, 'replicaCount'], String(n))),
    fc.oneof(fc.integer({max: 9}), fc.integer({min: 65_537, max: 2 ** 31 - 1})).map(n => set([...pool, 'diskSpec'], {bootDiskSizeGb: n})),
    lower(129, 300).map(name => set(['displayName'], name)),
    // oversized or malformed labels
    fc.tuple(lower(64, 100), lower(0, 10)).map(([key, value]) => set(['labels'], {...(valid.labels as object), [key]: value})),
    lower(64, 100).map(value => set(['labels', 'team'], value)),
    fc.integer({min: 65, max: 80}).map(n => set(['labels'], Object.fromEntries(Array.from({length: n}, (_, i) => [`k${i}`, 'v'])))),
    fc.constantFrom('Team', '1team', '-x', 'request_id', 'has space', 'ünïcode-É').map(key => set(['labels'], {...(valid.labels as object), [key]: 'v'})),
    fc.constantFrom('UPPER', 'has space', 'a.b', 'x/y').map(value => set(['labels', 'team'], value)),
  );
}

function get(json: Json, path: readonly (string | number)[]): Json {
  return path.reduce<Json>((value, key) => (value as Record<string | number, Json> | undefined)?.[key], json);
}

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
