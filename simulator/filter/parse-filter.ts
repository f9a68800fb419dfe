// Parser for the AIP-160 filter grammar used by nasJobs.list. Precedence is AIP-160's, which
// surprises people: OR binds tighter than AND, and juxtaposition (`a b`) means AND, so
// `a AND b OR c` is `a AND (b OR c)`. NOT and a leading `-` negate a term.

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | ':';
export interface FilterValue {
  text: string;
  quoted: boolean;
}
export type FilterNode =
  | {kind: 'and' | 'or'; children: FilterNode[]}
  | {kind: 'not'; child: FilterNode}
  | {kind: 'compare'; member: string[]; op: Comparator; value: FilterValue};

type Token =
  | {type: 'text' | 'string'; text: string; at: number}
  | {type: 'op'; text: Comparator; at: number}
  | {type: '(' | ')' | 'not' | 'and' | 'or' | 'minus'; at: number};

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

const COMPARATORS: readonly Comparator[] = ['<=', '>=', '!=', '=', '<', '>', ':'];
const TEXT_END = /[\s()=!<>:"']/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({type: c, at: i++}); continue; }
    const op = COMPARATORS.find(candidate => input.startsWith(candidate, i));
    if (op) { tokens.push({type: 'op', text: op, at: i}); i += op.length; continue; }
    if (c === '"' || c === "'") { i = readString(input, i, tokens); continue; }
    const previous = tokens[tokens.length - 1];
    if (c === '-' && previous?.type !== 'op' && /[A-Za-z_(]/.test(input.charAt(i + 1))) { tokens.push({type: 'minus', at: i++}); continue; }
    let end = i;
    while (end < input.length && !TEXT_END.test(input.charAt(end))) end++;
    if (end === i) throw new FilterSyntaxError(`unexpected character '${c}' at position ${i}`);
    const text = input.slice(i, end);
    const keyword = text === 'AND' ? 'and' : text === 'OR' ? 'or' : text === 'NOT' ? 'not' : undefined;
    tokens.push(keyword ? {type: keyword, at: i} : {type: 'text', text, at: i});
    i = end;
  }
  return tokens;
}

function readString(input: string, start: number, tokens: Token[]): number {
  const quote = input.charAt(start);
  let text = '';
  for (let i = start + 1; i < input.length; i++) {
    const c = input.charAt(i);
    if (c === '\\' && i + 1 < input.length) text += input.charAt(++i);
    else if (c === quote) { tokens.push({type: 'string', text, at: start}); return i + 1; }
    else text += c;
  }
  throw new FilterSyntaxError(`unterminated string starting at position ${start}`);
}

/** Parses a filter; an empty or blank filter gives undefined (match everything). */
export function parseFilter(input: string): FilterNode | undefined {
  const parser = new Parser(tokenize(input));
  if (parser.atEnd()) return undefined;
  const node = parser.expression();
  if (!parser.atEnd()) throw new FilterSyntaxError(`unexpected ${parser.describeNext()}`);
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  describeNext(): string {
    const t = this.tokens[this.i];
    if (!t) return 'end of filter';
    return `'${'text' in t ? t.text : t.type.toUpperCase()}' at position ${t.at}`;
  }

  expression(): FilterNode {
    const children = [this.sequence()];
    while (this.accept('and')) children.push(this.sequence());
    return children.length === 1 ? children[0]! : {kind: 'and', children};
  }

  private sequence(): FilterNode {
    const children = [this.factor()];
    while (this.startsTerm()) children.push(this.factor());
    return children.length === 1 ? children[0]! : {kind: 'and', children};
  }

  private factor(): FilterNode {
    const children = [this.term()];
    while (this.accept('or')) children.push(this.term());
    return children.length === 1 ? children[0]! : {kind: 'or', children};
  }

  private term(): FilterNode {
    if (this.accept('not') || this.accept('minus')) return {kind: 'not', child: this.term()};
    if (this.accept('(')) {
      const inner = this.expression();
      if (!this.accept(')')) throw new FilterSyntaxError(`expected ')' but found ${this.describeNext()}`);
      return inner;
    }
    return this.restriction();
  }

  private restriction(): FilterNode {
    const member = this.tokens[this.i];
    if (member?.type !== 'text') throw new FilterSyntaxError(`expected a field name but found ${this.describeNext()}`);
    this.i++;
    const op = this.tokens[this.i];
    if (op?.type !== 'op') throw new FilterSyntaxError(`expected a comparator after '${member.text}' but found ${this.describeNext()}`);
    this.i++;
    const value = this.tokens[this.i];
    if (value?.type !== 'text' && value?.type !== 'string') {
      throw new FilterSyntaxError(`expected a value after '${member.text}${op.text}' but found ${this.describeNext()}`);
    }
    this.i++;
    return {kind: 'compare', member: member.text.split('.'), op: op.text, value: {text: value.text, quoted: value.type === 'string'}};
  }

  private startsTerm(): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && (t.type === 'text' || t.type === '(' || t.type === 'not' || t.type === 'minus');
  }

  private accept(type: Token['type']): boolean {
    if (this.tokens[this.i]?.type !== type) return false;
    this.i++;
    return true;
  }
}
