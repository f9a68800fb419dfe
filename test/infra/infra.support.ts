// Shared set-up of the infra tests: infra/*.tf parsed, and the code read beside it.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll} from 'vitest';
import {loadCodeModel, registrationsOf, stripComments, type CodeModel, type Registration} from './code-model.js';
import {expressionOf, literal, loadTerraform, objectLocal, type Body, type Terraform} from './terraform-model.js';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));


/** Variables the functions framework reads (not nasmon), set by infra/ on purpose. */
export const FRAMEWORK_VARIABLES: ReadonlySet<string> = new Set(['LOG_EXECUTION_ID']);

/** Variables only local runs use; a deployment must never set them. */
export const LOCAL_ONLY: Readonly<Record<string, string>> = {
  VERTEX_API_ENDPOINT: 'points Vertex calls at the simulator; unset means the regional endpoint',
  NASMON_VERTEX_STATIC_TOKEN: 'a fixed bearer token for the simulator',
  NASMON_LOCAL_ISSUER_DIR: "the local issuer's key pair, for local ID tokens only",
  NASMON_CRASH_POINTS: 'the chaos soak\'s deliberate crashes; refused in production',
};

/** Everything the infra tests compare. */
export interface Infra {
  readonly tf: Terraform;
  readonly code: CodeModel;
  readonly registrations: readonly Registration[];
  /** local.functions: entry point → its settings. */
  readonly functions: Readonly<Record<string, Body>>;
}

/** Parses infra/ and reads the code. */
export async function loadInfra(): Promise<Infra> {
  const tf = await loadTerraform(join(ROOT, 'infra'));
  return {tf, code: loadCodeModel(ROOT), registrations: registrationsOf(ROOT), functions: objectLocal(tf, 'functions')};
}

/**
 * Loads infra/ once for the calling test file. A test that reads it fails with the load error (a
 * syntax error in a .tf file, with its line) rather than being skipped, as a failed beforeAll would.
 */
export function useInfra(): () => Infra {
  let loaded: Infra | Error | undefined;
  beforeAll(async () => {
    loaded = await loadInfra().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  });
  return () => {
    if (loaded === undefined) throw new Error('infra/ was not loaded');
    if (loaded instanceof Error) throw loaded;
    return loaded;
  };
}

/** A source file without comments. */
export function readSource(path: string): string {
  return stripComments(readFileSync(join(ROOT, path), 'utf8'));
}

/** `pollNasJobs` → `poll-nas-jobs`: deployed names are the entry points in kebab case (style.md). */
export function kebab(entry: string): string {
  return entry.replace(/[A-Z]/g, char => `-${char.toLowerCase()}`);
}

/** The environment a function's settings declare: plain variables and secret ones. */
export function declaredEnv(infra: Infra, entry: string): {plain: Record<string, unknown>; secret: Record<string, string>} {
  const spec = infra.functions[entry]!;
  return {plain: literal(infra.tf, spec.env) as Record<string, unknown>, secret: spec.secrets as Record<string, string>};
}

/** The key of `google_pubsub_topic.topic["KEY"]` in an expression. */
export function topicKeyOf(value: unknown): string | undefined {
  return /google_pubsub_topic\.topic\["(\w+)"\]/.exec(expressionOf(value) ?? String(value))?.[1];
}
