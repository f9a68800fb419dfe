import type {GateAction} from '../policy/verdict.js';
import type {FieldViolation} from '../vertex/error-details.js';
import {invalidArgument} from './gate-errors.js';
import {DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ListQuery} from './gate-request.js';
import {isRequestId} from './labels.js';
import {parseListFilter} from './parse-list-filter.js';

// Query parameters, parsed from the raw query string rather than Express's `req.query` (whose `qs`
// parser turns `a[b]=1` into objects and repeats into arrays). Unknown, repeated and malformed
// parameters are refused, all of them in one answer.

/** The parameters of one call, by action. */
export type GateQuery =
  | {readonly action: 'create'; readonly validateOnly: boolean; readonly requestId?: string}
  | {readonly action: 'list'; readonly query: ListQuery}
  | {readonly action: 'cancel' | 'delete' | 'get'};

const ALLOWED: Readonly<Record<GateAction, readonly string[]>> = {
  create: ['validateOnly', 'requestId'],
  list: ['pageSize', 'pageToken', 'filter'],
  cancel: [],
  delete: [],
  get: [],
};

/** Longest query string accepted, in bytes. */
export const MAX_QUERY_LENGTH = 4096;
const PAGE_TOKEN = /^[A-Za-z0-9_.~=-]{1,1024}$/;

/** Parses the raw query string (without "?") of a call routed to `action`; throws a 400 GateError listing every problem. */
export function parseGateQuery(action: GateAction, rawQuery: string): GateQuery {
  if (rawQuery.length > MAX_QUERY_LENGTH) throw invalidArgument(`the query string is longer than ${MAX_QUERY_LENGTH} characters`, [], 'INVALID_QUERY');
  const params = new Map<string, string>();
  const violations: FieldViolation[] = [];
  for (const pair of rawQuery === '' ? [] : rawQuery.split('&')) {
    const [rawKey = '', rawValue] = splitOnce(pair, '=');
    const key = decode(rawKey);
    const value = rawValue === undefined ? undefined : decode(rawValue);
    if (key === undefined || (rawValue !== undefined && value === undefined)) {
      violations.push({field: short(rawKey), description: 'is not validly percent-encoded'});
    } else if (key === '') {
      violations.push({field: '', description: 'empty query parameter (a stray "&" or "=")'});
    } else if (!ALLOWED[action].includes(key)) {
      violations.push({field: short(key), description: unknownParameter(action, key)});
    } else if (params.has(key)) {
      violations.push({field: key, description: 'is given more than once'});
    } else {
      params.set(key, value ?? '');
    }
  }
  const parsed = interpret(action, params, violations);
  if (violations.length > 0) {
    throw invalidArgument(`invalid query parameter ${violations[0]!.field || '(empty)'}: ${violations[0]!.description}`, violations, 'INVALID_QUERY');
  }
  return parsed;
}

function interpret(action: GateAction, params: ReadonlyMap<string, string>, out: FieldViolation[]): GateQuery {
  if (action === 'create') {
    const validateOnly = params.get('validateOnly');
    const requestId = params.get('requestId');
    if (validateOnly !== undefined && validateOnly !== 'true' && validateOnly !== 'false') {
      out.push({field: 'validateOnly', description: `must be true or false, got "${short(validateOnly)}"`});
    }
    if (requestId !== undefined && !isRequestId(requestId)) {
      out.push({field: 'requestId', description: 'must be 1 to 63 characters of lowercase letters, digits, "_" and "-"'});
    }
    return {action, validateOnly: validateOnly === 'true', ...(requestId === undefined ? {} : {requestId})};
  }
  if (action === 'list') return {action, query: listQuery(params, out)};
  return {action};
}

function listQuery(params: ReadonlyMap<string, string>, out: FieldViolation[]): ListQuery {
  const rawSize = params.get('pageSize');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (rawSize !== undefined) {
    if (/^\d{1,9}$/.test(rawSize)) pageSize = Math.min(Number(rawSize), MAX_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
    else out.push({field: 'pageSize', description: `must be a non-negative integer, got "${short(rawSize)}"`});
  }
  const pageToken = params.get('pageToken') ?? '';
  if (pageToken !== '' && !PAGE_TOKEN.test(pageToken)) out.push({field: 'pageToken', description: 'is not a page token returned by this API'});
  const filterText = params.get('filter') ?? '';
  const parsed = filterText.trim() === '' ? undefined : parseListFilter(filterText);
  if (parsed && 'problem' in parsed) out.push({field: 'filter', description: parsed.problem});
  return {
    pageSize,
    ...(pageToken === '' ? {} : {pageToken}),
    ...(parsed && 'filter' in parsed ? {filter: parsed.filter} : {}),
  };
}

function unknownParameter(action: GateAction, key: string): string {
  const allowed = ALLOWED[action];
  const near = allowed.find(name => name.toLowerCase() === key.toLowerCase().replace(/[_-]/g, ''));
  const hint = near ? ` (did you mean "${near}"?)` : '';
  return allowed.length === 0
    ? `unknown query parameter${hint}; ${action} takes no query parameters`
    : `unknown query parameter${hint}; ${action} accepts ${allowed.join(', ')}`;
}

// application/x-www-form-urlencoded decoding: "+" is a space; a bad escape is an error, not a guess.
function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
