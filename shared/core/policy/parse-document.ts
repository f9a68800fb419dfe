import {isNode, LineCounter, parseDocument, type Document} from 'yaml';
import type {Path, RawProblem} from './schema-reader.js';

// Text → untyped value, plus a way to find the line of a JSON path for error messages.
// YAML is read as YAML 1.2 with the core schema: `yes`/`no`/`on` stay strings, duplicate keys are
// errors, merge keys (`<<`) are plain keys (so reported as unknown), aliases are capped.

/** The formats a policy file may be written in. */
export type PolicyFormat = 'yaml' | 'json';

/** The largest policy file accepted, in characters. */
export const MAX_POLICY_CHARS = 1_000_000;

/** A parsed document: its value (undefined when unparsable), syntax problems, and a line finder. */
export interface ParsedDocument {
  readonly value: unknown;
  readonly problems: readonly (RawProblem & {readonly line?: number})[];
  /** The 1-based line of the deepest node on `path` that exists, when known. */
  readonly lineOf: (path: Path) => number | undefined;
}

const NO_LINES = (): undefined => undefined;

/** Parses policy text as YAML or JSON; never throws. */
export function parseDocumentText(text: string, format: PolicyFormat): ParsedDocument {
  if (text.length > MAX_POLICY_CHARS) {
    return {value: undefined, problems: [{path: [], reason: `file larger than ${MAX_POLICY_CHARS} characters`}], lineOf: NO_LINES};
  }
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

function parseYaml(text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {lineCounter, prettyErrors: true, uniqueKeys: true, version: '1.2', schema: 'core'});
  const lineOf = lineFinder(doc, lineCounter);
  const problems = [...doc.errors, ...doc.warnings].map(error => ({
    path: [],
    reason: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
    ...(error.linePos ? {line: error.linePos[0].line} : {}),
  }));
  if (doc.errors.length > 0) return {value: undefined, problems, lineOf};
  try {
    return {value: doc.toJS({maxAliasCount: 100}), problems, lineOf};
  } catch (error) {
    return {value: undefined, problems: [...problems, {path: [], reason: `YAML: ${(error as Error).message}`}], lineOf};
  }
}

function parseJson(text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {value: undefined, problems: [{path: [], reason: `JSON: ${(error as Error).message}`}], lineOf: NO_LINES};
  }
  // JSON is YAML 1.2 flow syntax, so the YAML parser can locate paths; if it cannot, lines are omitted.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {lineCounter, uniqueKeys: false, version: '1.2', schema: 'core'});
  return {value, problems: [], lineOf: doc.errors.length === 0 ? lineFinder(doc, lineCounter) : NO_LINES};
}

function lineFinder(doc: Document, lineCounter: LineCounter): (path: Path) => number | undefined {
  return path => {
    for (let depth = path.length; depth >= 0; depth--) {
      try {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      } catch {
        // getIn throws on paths through scalars; try the parent.
      }
    }
    return undefined;
  };
}
