// Binds a parsed filter to the fields nasJobs.list documents (display_name, state, create_time,
// labels.KEY), in snake_case or camelCase, and rejects anything else with a message naming it.
import type {JobRecord} from '../model/job-record.js';
import {resolveEnumValue} from '../proto/enums.js';
import {parseTimestamp} from '../proto/time-format.js';
import {FilterSyntaxError, parseFilter, type Comparator, type FilterNode, type FilterValue} from './parse-filter.js';

export type JobPredicate = (job: JobRecord) => boolean;

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const SUPPORTED = 'display_name, state, create_time and labels.KEY';

/** Compiles `filter` into a predicate; throws FilterError naming the problem. */
export function compileFilter(filter: string): JobPredicate {
  let ast: FilterNode | undefined;
  try {
    ast = parseFilter(filter);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new FilterError(`Invalid filter syntax: ${err.message}.`);
    throw err;
  }
  return ast ? compileNode(ast) : () => true;
}

function compileNode(node: FilterNode): JobPredicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.children.map(compileNode);
      return job => parts.every(p => p(job));
    }
    case 'or': {
      const parts = node.children.map(compileNode);
      return job => parts.some(p => p(job));
    }
    case 'not': {
      const inner = compileNode(node.child);
      return job => !inner(job);
    }
    case 'compare':
      return compileComparison(node.member, node.op, node.value);
  }
}

function compileComparison(member: string[], op: Comparator, value: FilterValue): JobPredicate {
  const [head = '', ...rest] = member;
  if (head === 'labels') return compileLabel(rest, op, value);
  if (rest.length > 0) throw unsupportedField(member.join('.'));
  if (head === 'display_name' || head === 'displayName') return compileDisplayName(op, value);
  if (head === 'state') return compileState(op, value);
  if (head === 'create_time' || head === 'createTime') return compileCreateTime(op, value);
  throw unsupportedField(head);
}

function compileDisplayName(op: Comparator, value: FilterValue): JobPredicate {
  const matches = textMatcher(value.text);
  if (op === '=' || op === ':') return job => matches(job.displayName);
  if (op === '!=') return job => !matches(job.displayName);
  throw unsupportedOperator('display_name', op);
}

function compileState(op: Comparator, value: FilterValue): JobPredicate {
  const state = resolveEnumValue('JobState', /^\d+$/.test(value.text) && !value.quoted ? Number(value.text) : value.text);
  if (!state) throw new FilterError(`Invalid value "${value.text}" for field state in filter: expected a JobState name such as JOB_STATE_RUNNING.`);
  if (op === '=') return job => job.state === state;
  if (op === '!=') return job => job.state !== state;
  throw unsupportedOperator('state', op);
}

function compileCreateTime(op: Comparator, value: FilterValue): JobPredicate {
  const t = parseTimestamp(value.text);
  if (t === undefined) throw new FilterError(`Invalid value "${value.text}" for field create_time in filter: expected an RFC 3339 timestamp in quotes.`);
  switch (op) {
    case '=': return job => job.createTime === t;
    case '!=': return job => job.createTime !== t;
    case '<': return job => job.createTime < t;
    case '<=': return job => job.createTime <= t;
    case '>': return job => job.createTime > t;
    case '>=': return job => job.createTime >= t;
    default: throw unsupportedOperator('create_time', op);
  }
}

/** `labels.KEY=VALUE`, `labels.KEY!=VALUE`, `labels.KEY:*` (key present) and `labels:KEY`. */
function compileLabel(path: string[], op: Comparator, value: FilterValue): JobPredicate {
  if (path.length === 0) {
    if (op !== ':') throw unsupportedOperator('labels', op);
    return job => value.text in job.labels;
  }
  if (path.length !== 1) throw unsupportedField(`labels.${path.join('.')}`);
  const key = path[0]!;
  if (op === ':' && value.text === '*') return job => key in job.labels;
  const matches = textMatcher(value.text);
  if (op === '=' || op === ':') return job => key in job.labels && matches(job.labels[key]!);
  if (op === '!=') return job => !(key in job.labels && matches(job.labels[key]!));
  throw unsupportedOperator(`labels.${key}`, op);
}

/** Exact match, or a whole-string wildcard match when the value contains `*`. */
function textMatcher(pattern: string): (text: string) => boolean {
  if (!pattern.includes('*')) return text => text === pattern;
  const source = pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return text => regex.test(text);
}

function unsupportedField(field: string): FilterError {
  return new FilterError(`Unsupported field "${field}" in filter; nasJobs.list filters on ${SUPPORTED}.`);
}

function unsupportedOperator(field: string, op: Comparator): FilterError {
  return new FilterError(`Operator "${op}" is not supported for field ${field} in filter.`);
}
