// What the infra test needs to know about the code, read from the source text the way a reviewer
// would: the entry points functions/*.ts registers, and which environment variables each entry
// point reads and cannot start without. The code is split into top-level declarations; a variable
// read (or a "NAME: required" problem) inside one counts for every entry point whose registration
// reaches that declaration through references by name. Over-approximate by design: a name shared by
// two declarations links both.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';

/** One `functions.http(...)` / `functions.cloudEvent(...)` registration. */
export interface Registration {
  readonly entry: string;
  readonly kind: 'http' | 'cloudEvent';
  /** The registering file, relative to the repository root. */
  readonly file: string;
}

/** The environment as the code uses it. */
export interface CodeEnv {
  /** Entry point → the variables it may read. */
  readonly reads: ReadonlyMap<string, ReadonlySet<string>>;
  /** Entry point → the variables whose absence is a start-up problem ("NAME: required …"). */
  readonly required: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every variable read anywhere in functions/ and shared/. */
  readonly all: ReadonlySet<string>;
}

interface Chunk {
  readonly file: string;
  readonly name: string | undefined;
  readonly exported: boolean;
  /** Every identifier the file's import statements name. */
  readonly imports: ReadonlySet<string>;
  readonly text: string;
  readonly identifiers: ReadonlySet<string>;
  readonly registrations: readonly Registration[];
}

/** nasmon's own variables and the project id; the platform's (K_SERVICE, PORT, …) are not ours to set. */
const OWN_VARIABLE = /^(?:NASMON_[A-Z0-9_]+|VERTEX_[A-Z0-9_]+|GOOGLE_CLOUD_PROJECT)$/;
const NAME = '[A-Z][A-Z0-9_]+';
const READS = [
  new RegExp(`\\benv\\.(${NAME})\\b`, 'g'), // env.NASMON_X, process.env.NASMON_X
  new RegExp(`\\benv\\[\\s*'(${NAME})'\\s*\\]`, 'g'), // env['NASMON_X']
  new RegExp(`\\(\\s*env\\s*,\\s*'(${NAME})'`, 'g'), // text(env, 'NASMON_X'), flag(env, 'NASMON_X', …)
];
const REQUIRED = new RegExp(`\\b(${NAME}): required\\b`, 'g');
const REGISTRATION = /\.(http|cloudEvent)\(\s*['"]([A-Za-z_$][\w$]*)['"]/g;
const DECLARATION = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*|const\s+|let\s+|var\s+|class\s+)([A-Za-z_$][\w$]*)/;

/** The `.ts` files under `dir`, recursively, relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts')) out.push(relative(root, full));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/** The source without comments (a `//` after `:` is a URL, not a comment). */
export function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The registrations of the entry files (functions/*.ts, not their wiring). */
export function registrationsOf(root: string): Registration[] {
  return sourceFiles(root, 'functions').filter(file => !file.slice('functions/'.length).includes('/'))
    .flatMap(file => registrationsIn(file, stripComments(readFileSync(join(root, file), 'utf8'))));
}

function registrationsIn(file: string, text: string): Registration[] {
  return [...text.matchAll(REGISTRATION)].map(m => ({entry: m[2]!, kind: m[1] as Registration['kind'], file}));
}

function chunksOf(file: string, source: string): Chunk[] {
  const entryFile = /^functions\/[^/]+\.ts$/.test(file);
  const chunks: Chunk[] = [];
  const imports = new Set<string>();
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join('\n');
    const identifiers = new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
    if (/^import\s/.test(text)) for (const name of identifiers) imports.add(name);
    chunks.push({
      file, text, imports, identifiers, name: DECLARATION.exec(lines[0]!)?.[1], exported: /^export\s/.test(text),
      registrations: entryFile ? registrationsIn(file, text) : [],
    });
    lines = [];
  };
  for (const line of stripComments(source).split('\n')) {
    if (/^[^\s})\]]/.test(line)) flush();
    lines.push(line);
  }
  flush();
  return chunks;
}

function matchesOf(text: string, patterns: readonly RegExp[]): string[] {
  return patterns.flatMap(pattern => [...text.matchAll(pattern)].map(m => m[1]!)).filter(name => OWN_VARIABLE.test(name));
}

/** The code under functions/ and shared/, split into top-level declarations. */
export interface CodeModel {
  readonly env: CodeEnv;
  /**
   * The entry points that reach code (other than type declarations, and outside the files
   * `exclude` names) which mentions `identifier`.
   */
  entriesUsing(identifier: string, exclude: (file: string) => boolean): ReadonlySet<string>;
}

/** Reads functions/ and shared/ under `root`. */
export function loadCodeModel(root: string): CodeModel {
  const chunks = ['functions', 'shared'].flatMap(dir => sourceFiles(root, dir))
    .flatMap(file => chunksOf(file, readFileSync(join(root, file), 'utf8')));
  const entriesOf = reachingEntries(chunks);
  return {
    env: envOf(chunks, entriesOf),
    entriesUsing(identifier, exclude) {
      const entries = new Set<string>();
      for (const chunk of chunks) {
        if (exclude(chunk.file) || /^(?:export\s+)?(?:interface|type)\s/.test(chunk.text) || !chunk.identifiers.has(identifier)) continue;
        for (const entry of entriesOf(chunk)) entries.add(entry);
      }
      return entries;
    },
  };
}

function envOf(chunks: readonly Chunk[], entriesOf: (chunk: Chunk) => ReadonlySet<string>): CodeEnv {
  const reads = new Map<string, Set<string>>();
  const required = new Map<string, Set<string>>();
  const all = new Set<string>();
  const add = (map: Map<string, Set<string>>, entry: string, names: readonly string[]) => {
    const set = map.get(entry) ?? new Set<string>();
    for (const name of names) set.add(name);
    map.set(entry, set);
  };
  for (const chunk of chunks) {
    const read = matchesOf(chunk.text, READS);
    const needed = matchesOf(chunk.text, [REQUIRED]);
    for (const name of read) all.add(name);
    if (read.length === 0 && needed.length === 0) continue;
    for (const entry of entriesOf(chunk)) {
      add(reads, entry, [...read, ...needed]);
      add(required, entry, needed);
    }
  }
  return {reads, required, all};
}

/**
 * Whether `caller` may refer to `chunk`'s declaration: in its own file, or, when it is exported,
 * from a file that imports that name.
 */
function refersTo(caller: Chunk, chunk: Chunk): boolean {
  if (caller === chunk || chunk.name === undefined || !caller.identifiers.has(chunk.name)) return false;
  return caller.file === chunk.file || (chunk.exported && caller.imports.has(chunk.name));
}

/** For a chunk: the entry points whose registration reaches it by references by name. */
function reachingEntries(chunks: readonly Chunk[]): (chunk: Chunk) => ReadonlySet<string> {
  const memo = new Map<Chunk, Set<string>>();
  const visit = (chunk: Chunk, visiting: Set<Chunk>): Set<string> => {
    const known = memo.get(chunk);
    if (known) return known;
    const entries = new Set(chunk.registrations.map(r => r.entry));
    if (chunk.name !== undefined && !visiting.has(chunk)) {
      visiting.add(chunk);
      for (const caller of chunks) {
        if (!refersTo(caller, chunk)) continue;
        for (const entry of visit(caller, visiting)) entries.add(entry);
      }
      visiting.delete(chunk);
    }
    if (visiting.size === 0) memo.set(chunk, entries);
    return entries;
  };
  return chunk => visit(chunk, new Set());
}
