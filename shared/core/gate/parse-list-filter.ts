import {JOB_STATE} from '../vertex/enums.js';
import {isKnownName} from '../vertex/proto-enum.js';
import {isTimestamp} from '../vertex/time.js';
import type {FilterTerm, ListFilter} from './gate-request.js';

// The list filter the gate serves from its Firestore mirror: the AIP-160 comparisons Vertex documents
// for nasJobs (vertex-nasjobs-api.md §4), joined by AND only. OR, NOT, parentheses and the ":" wildcard
// would need a query planner the mirror does not have, so they are refused with a message, not guessed.
//
//   state="JOB_STATE_RUNNING" AND labels.team="vision" AND create_time>="2025-01-01T00:00:00Z"
//   display_name!="scratch" AND labels.owner:*

/** Longest filter accepted, in characters. */
export const MAX_FILTER_LENGTH = 1024;
/** Most comparisons in one filter. */
export const MAX_FILTER_TERMS = 20;

type Token = {readonly kind: 'word' | 'string' | 'op'; readonly text: string};

const OPS = ['!=', '<=', '>=', '=', '<', '>', ':'] as const;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{Nd}_-]{0,62}$/u;

/** Parses a list filter, or returns the problem with it as a message for the caller. */
export function parseListFilter(text: string): {readonly filter: ListFilter} | {readonly problem: string} {
  if ([...text].length > MAX_FILTER_LENGTH) return {problem: `must be at most ${MAX_FILTER_LENGTH} characters long`};
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return {problem: tokens};
  const keyword = tokens.find(token => token.kind === 'word' && (token.text === 'OR' || token.text === 'NOT'));
  if (keyword) return {problem: unsupported(keyword.text)};
  const terms: FilterTerm[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [field, op, value, joiner] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (field?.kind === 'word' && field.text === 'AND') return {problem: 'the filter starts with AND, or has AND twice'};
    if (!field || !op || !value || field.kind !== 'word' || op.kind !== 'op' || value.kind === 'op') {
      return {problem: 'expected comparisons such as state="JOB_STATE_RUNNING", joined by AND'};
    }
    const term = termOf(field.text, op.text, value);
    if (typeof term === 'string') return {problem: term};
    terms.push(term);
    if (joiner !== undefined && !(joiner.kind === 'word' && joiner.text === 'AND')) {
      return {problem: 'comparisons must be joined by AND'};
    }
    if (joiner !== undefined && i + 4 >= tokens.length) return {problem: 'the filter ends with AND'};
  }
  if (terms.length > MAX_FILTER_TERMS) return {problem: `at most ${MAX_FILTER_TERMS} comparisons are allowed`};
  return {filter: {text, terms}};
}

function termOf(field: string, op: string, value: Token): FilterTerm | string {
  const name = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (name === 'state') {
    if (op !== '=' && op !== '!=') return 'state supports = and != only';
    return isKnownName(JOB_STATE, value.text) ? {field: 'state', op, value: value.text} : `unknown job state "${short(value.text)}"`;
  }
  if (name === 'displayName') {
    if (op !== '=' && op !== '!=') return 'display_name supports = and != only (no ":" wildcard)';
    return {field: 'displayName', op, value: value.text};
  }
  if (name === 'createTime') {
    if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return 'create_time supports <, <=, > and >= only';
    return isTimestamp(value.text) ? {field: 'createTime', op, value: value.text} : `create_time needs a quoted RFC 3339 timestamp, got "${short(value.text)}"`;
  }
  if (field.startsWith('labels.')) {
    const key = field.slice('labels.'.length);
    if (!LABEL_KEY.test(key)) return `"${short(key)}" is not a valid label key`;
    if (op === ':') return value.kind === 'word' && value.text === '*' ? {field: 'label', key, op: 'has'} : 'labels.KEY:* is the only ":" form supported';
    if (op !== '=' && op !== '!=') return 'labels.KEY supports =, != and :* only';
    return {field: 'label', key, op, value: value.text};
  }
  return `unknown filter field "${short(field)}"; supported: state, display_name, create_time, labels.KEY`;
}

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
      }
      if (i >= text.length) return 'a quoted value is not closed';
      tokens.push({kind: 'string', text: value});
      i++;
    } else if (c === '(' || c === ')') {
      return 'parentheses are not supported; combine comparisons with AND';
    } else {
      const op = OPS.find(candidate => text.startsWith(candidate, i));
      if (op) {
        tokens.push({kind: 'op', text: op});
        i += op.length;
        continue;
      }
      const word = /^[^\s"()!<>=:]+/.exec(text.slice(i))?.[0];
      if (word === undefined) return `unexpected character "${c}"`;
      tokens.push({kind: 'word', text: word});
      i += word.length;
    }
  }
  return tokens;
}

function unsupported(keyword: string): string {
  return `${keyword} is not supported by the gate's list filter; combine comparisons with AND`;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
