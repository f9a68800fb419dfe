// infra/*.tf as data: each file parsed by HashiCorp's own HCL parser (hcl/v2 via tmccombs/hcl2json,
// compiled to WebAssembly in @cdktn/hcl2json), merged the way Terraform merges a module's files.
// Expressions come back as "${…}" strings; literals as JSON values.
import {readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';

/** A block's body, or any object value. */
export type Body = Readonly<Record<string, unknown>>;

/** One Terraform module (a directory of .tf files). */
export interface Terraform {
  readonly files: readonly string[];
  readonly locals: Body;
  readonly variables: Readonly<Record<string, Body>>;
  readonly outputs: Readonly<Record<string, Body>>;
  /** `TYPE.NAME` → body, for resources and for data sources. */
  readonly resources: ReadonlyMap<string, Body>;
  readonly data: ReadonlyMap<string, Body>;
  /** Everything parsed, for scans over every expression. */
  readonly documents: readonly unknown[];
}

interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
}

// Loaded with require and typed here: the package's own declarations pull the DOM lib into tsc.
const hcl = createRequire(import.meta.url)('@cdktn/hcl2json') as Hcl2Json;

/** Parses one HCL text (a .tf file or a .tfvars file); rejects with the parser's diagnostics. */
export async function parseHcl(filename: string, text: string): Promise<Record<string, unknown>> {
  return hcl.parse(filename, text);
}

/** Parses every .tf file of `dir`; rejects on a syntax error or on a name declared twice. */
export async function loadTerraform(dir: string): Promise<Terraform> {
  const files = readdirSync(dir).filter(file => file.endsWith('.tf')).sort();
  const documents = await Promise.all(files.map(file => parseHcl(file, readFileSync(join(dir, file), 'utf8'))));
  const locals: Record<string, unknown> = {};
  const variables: Record<string, Body> = {};
  const outputs: Record<string, Body> = {};
  const resources = new Map<string, Body>();
  const data = new Map<string, Body>();
  const once = <T>(target: Record<string, T> | Map<string, T>, key: string, value: T, what: string) => {
    const exists = target instanceof Map ? target.has(key) : key in target;
    if (exists) throw new Error(`${what} ${key} is declared twice`);
    if (target instanceof Map) target.set(key, value);
    else target[key] = value;
  };
  for (const doc of documents) {
    for (const block of (doc.locals ?? []) as Body[]) for (const [key, value] of Object.entries(block)) once(locals, key, value, 'local');
    for (const [name, [body]] of entries(doc.variable)) once(variables, name, body!, 'variable');
    for (const [name, [body]] of entries(doc.output)) once(outputs, name, body!, 'output');
    for (const [type, named] of entries(doc.resource)) for (const [name, [body]] of entries(named)) once(resources, `${type}.${name}`, body!, 'resource');
    for (const [type, named] of entries(doc.data)) for (const [name, [body]] of entries(named)) once(data, `${type}.${name}`, body!, 'data source');
  }
  return {files, locals, variables, outputs, resources, data, documents};
}

function entries(value: unknown): Array<[string, Body[]]> {
  return Object.entries((value ?? {}) as Record<string, Body[]>);
}

/** The expression inside a value that is exactly one interpolation ("${local.x}" → "local.x"). */
export function expressionOf(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{([^]*)\}$/.exec(value)?.[1] : undefined;
}

/** Every string anywhere in `value` that holds an expression. */
export function expressionsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('${') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(expressionsIn);
  return [];
}

/** A resource's body, failing the test with its name when it is missing. */
export function resource(tf: Terraform, address: string): Body {
  const body = tf.resources.get(address);
  if (!body) throw new Error(`infra/ declares no ${address}`);
  return body;
}

/** The first nested block `name` of `body` (blocks are lists of bodies). */
export function block(body: Body | undefined, name: string): Body | undefined {
  const value = body?.[name];
  return Array.isArray(value) ? (value[0] as Body | undefined) : undefined;
}

/** A local's literal value: `value` itself, or the local it names ("${local.x}"). */
export function literal(tf: Terraform, value: unknown): unknown {
  const local = /^local\.(\w+)$/.exec(expressionOf(value) ?? '')?.[1];
  return local === undefined ? value : tf.locals[local];
}

/** The object literal a local holds, failing when it is not one. */
export function objectLocal(tf: Terraform, name: string): Readonly<Record<string, Body>> {
  const value = tf.locals[name];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`local.${name} is not an object literal`);
  return value as Record<string, Body>;
}

/** The first `dynamic "name"` block of `body`. */
export function dynamicBlock(body: Body | undefined, name: string): Body | undefined {
  return block(body?.dynamic as Body | undefined, name);
}
