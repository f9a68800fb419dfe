// Terraform cannot run here, so this proves what can be proved without it: infra/*.tf parses with
// HashiCorp's HCL parser, refers only to what it declares, and deploys what the code needs: every
// entry point the code registers, with every variable it cannot start without, and no variable it
// does not read. The code side is read from the source, so adding a function or a variable without
// infra fails here. Pub/Sub, Firestore and the source zip: terraform.resources.test.ts; IAM:
// terraform.iam.test.ts.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {declaredEnv, FRAMEWORK_VARIABLES, kebab, LOCAL_ONLY, readSource, ROOT, useInfra} from './infra.support.js';
import {block, dynamicBlock, expressionOf, expressionsIn, objectLocal, parseHcl, resource} from './terraform-model.js';

const infra = useInfra();

/** The registrations infra/ declares a function for (the others fail their own test). */
const declared = () => infra().registrations.filter(r => r.entry in infra().functions);
const matches = (texts: readonly string[], pattern: RegExp) => new Set(texts.flatMap(text => [...text.matchAll(pattern)].map(m => m.slice(1).join('.'))));

describe('infra/*.tf', () => {
  it('parses with the HCL parser, every file the deployment is split into', () => {
    expect(infra().tf.files).toEqual(expect.arrayContaining([
      'firestore.tf', 'functions.tf', 'iam.tf', 'main.tf', 'outputs.tf', 'pubsub.tf', 'scheduler.tf', 'secrets.tf', 'service_accounts.tf', 'variables.tf', 'versions.tf',
    ]));
  });

  it('refers only to variables, locals, resources and data sources it declares', () => {
    const texts = infra().tf.documents.flatMap(expressionsIn);
    expect([...matches(texts, /\bvar\.([A-Za-z_][\w-]*)/g)].filter(name => !(name in infra().tf.variables))).toEqual([]);
    expect([...matches(texts, /\blocal\.(\w+)/g)].filter(name => !(name in infra().tf.locals))).toEqual([]);
    expect([...matches(texts, /(?<![\w.])((?:google|archive)_[a-z0-9_]+)\.([a-z_][\w-]*)/g)].filter(a => !infra().tf.resources.has(a))).toEqual([]);
    expect([...matches(texts, /\bdata\.(\w+)\.(\w+)/g)].filter(a => !infra().tf.data.has(a))).toEqual([]);
  });

  it('uses every variable and every local it declares', () => {
    const texts = infra().tf.documents.flatMap(expressionsIn);
    const vars = matches(texts, /\bvar\.([A-Za-z_][\w-]*)/g);
    const locals = matches(texts, /\blocal\.(\w+)/g);
    expect(Object.keys(infra().tf.variables).filter(name => !vars.has(name))).toEqual([]);
    expect(Object.keys(infra().tf.locals).filter(name => !locals.has(name))).toEqual([]);
  });

  it('gives terraform.tfvars.example only declared variables, and every one without a default', async () => {
    const example = await parseHcl('terraform.tfvars.example', readFileSync(join(ROOT, 'infra/terraform.tfvars.example'), 'utf8'));
    expect(Object.keys(example).filter(name => !(name in infra().tf.variables))).toEqual([]);
    const required = Object.entries(infra().tf.variables).filter(([, body]) => !('default' in body)).map(([name]) => name);
    expect(required.filter(name => !(name in example))).toEqual([]);
  });
});

describe('functions', () => {
  it('declares every entry point the code registers, built from it under the same name on nodejs22', () => {
    const fn = resource(infra().tf, 'google_cloudfunctions2_function.fn');
    expect(fn.for_each).toBe('${local.deployed_functions}');
    expect(block(fn, 'build_config')).toMatchObject({entry_point: '${each.key}', runtime: 'nodejs22'});
    expect(fn.name).toBe('${var.name_prefix}${each.value.name}');
    const missing = infra().registrations.filter(r => !(r.entry in infra().functions)).map(r => `${r.entry} (${r.file})`);
    expect(missing).toEqual([]);
    for (const r of declared()) expect(infra().functions[r.entry]!.name, r.entry).toBe(kebab(r.entry));
  });

  it('declares no function the code does not register', () => {
    const registered = new Set(infra().registrations.map(r => r.entry));
    expect(Object.keys(infra().functions).filter(entry => !registered.has(entry))).toEqual([]);
  });

  it('deploys every registering file: functions/index.ts, the deployed main, imports it', () => {
    const index = readSource('functions/index.ts');
    const files = new Set(infra().registrations.map(r => r.file));
    expect([...files].filter(file => !index.includes(`'./${file.slice('functions/'.length).replace(/\.ts$/, '.js')}'`))).toEqual([]);
  });

  it('serves HTTP entry points over HTTPS and feeds cloudEvent ones through a push subscription', () => {
    for (const r of declared()) {
      expect(infra().functions[r.entry]!.subscription === null, `${r.entry} is ${r.kind}`).toBe(r.kind === 'http');
    }
  });

  it('gives every function the same settings, and the resource reads no setting that is missing', () => {
    const keys = Object.values(infra().functions).map(spec => Object.keys(spec).sort().join());
    expect(new Set(keys).size).toBe(1);
    const used = matches(expressionsIn(resource(infra().tf, 'google_cloudfunctions2_function.fn')), /\beach\.value\.(\w+)/g);
    expect([...used].filter(key => !(key in Object.values(infra().functions)[0]!))).toEqual([]);
  });
});

describe('environment', () => {
  const registered = () => declared().map(r => r.entry);
  const names = (entry: string) => {
    const {plain, secret} = declaredEnv(infra(), entry);
    return new Set([...Object.keys(plain), ...Object.keys(secret)]);
  };

  it('sets every variable a function cannot start without ("NAME: required" on its path)', () => {
    for (const entry of registered()) {
      const required = [...(infra().code.env.required.get(entry) ?? [])];
      expect(required.filter(name => !names(entry).has(name)), entry).toEqual([]);
    }
  });

  it('sets on each function only variables its code reads (and LOG_EXECUTION_ID, for the framework)', () => {
    for (const entry of registered()) {
      const reads = infra().code.env.reads.get(entry) ?? new Set<string>();
      expect([...names(entry)].filter(name => !reads.has(name) && !FRAMEWORK_VARIABLES.has(name)), entry).toEqual([]);
    }
  });

  it('exposes every variable the code reads, except the local-only ones, which it never sets', () => {
    const declared = new Set(Object.keys(infra().functions).flatMap(entry => [...names(entry)]));
    expect([...infra().code.env.all].filter(name => !declared.has(name) && !(name in LOCAL_ONLY))).toEqual([]);
    expect(Object.keys(LOCAL_ONLY).filter(name => declared.has(name))).toEqual([]);
    expect([...declared].filter(name => !infra().code.env.all.has(name) && !FRAMEWORK_VARIABLES.has(name))).toEqual([]);
  });

  it('never deploys a local authentication mode', () => {
    for (const entry of Object.keys(infra().functions)) {
      const {plain} = declaredEnv(infra(), entry);
      for (const key of ['NASMON_AUTH_MODE', 'NASMON_DASHBOARD_AUTH']) if (key in plain) expect(plain[key], `${entry} ${key}`).toBe('google');
    }
  });

  it('passes secrets only from Secret Manager, and declares only secrets a function reads', () => {
    // The variables whose problems never show their value are the secrets (shared/config.ts).
    const secretVariables = new Set([...readSource('shared/config.ts').matchAll(/\b(NASMON_[A-Z0-9_]+): [^`'\n]*value not shown/g)].map(m => m[1]!));
    expect(secretVariables.size).toBeGreaterThan(0);
    const declared = (expressionOf(infra().tf.locals.secret_names) ?? '').match(/"[\w-]+"/g)?.map(name => name.slice(1, -1)) ?? [];
    for (const entry of Object.keys(infra().functions)) {
      const {plain, secret} = declaredEnv(infra(), entry);
      expect(Object.keys(plain).filter(name => secretVariables.has(name)), entry).toEqual([]);
      expect(Object.values(secret).filter(name => !declared.includes(name)), entry).toEqual([]);
    }
    const used = new Set(Object.values(infra().functions).flatMap(spec => Object.values(spec.secrets as Record<string, string>)));
    if (Object.values(infra().functions).some(spec => spec.policy === true)) used.add('policy');
    expect(declared.filter(name => !used.has(name))).toEqual([]);
  });

  it('mounts the policy file where NASMON_POLICY points, in exactly the functions that set it', () => {
    expect(infra().tf.locals.policy_path).toBe('${local.policy_mount}/${local.policy_file_name}');
    const volume = dynamicBlock(block(resource(infra().tf, 'google_cloudfunctions2_function.fn'), 'service_config'), 'secret_volumes');
    expect(block(volume, 'content')).toMatchObject({mount_path: '${local.policy_mount}', versions: [expect.objectContaining({path: '${local.policy_file_name}'})]});
    for (const entry of Object.keys(infra().functions)) {
      const {plain} = declaredEnv(infra(), entry);
      expect(infra().functions[entry]!.policy, entry).toBe('NASMON_POLICY' in plain);
      if ('NASMON_POLICY' in plain) expect(plain.NASMON_POLICY, entry).toBe('${local.policy_path}');
    }
  });

  it('assumes the defaults of shared/config.ts for the timeouts it derives from them', () => {
    const config = ['shared/config.ts', 'shared/config-types.ts'].map(readSource).join('\n');
    for (const [key, assumed] of Object.entries(objectLocal(infra().tf, 'code_defaults'))) {
      const raw = new RegExp(`'${key}'\\)?,\\s*(\\w+),\\s*\\{\\s*min`).exec(config)?.[1];
      const value = raw && /^\d/.test(raw) ? raw : new RegExp(`const ${raw} = ([\\d_]+)`).exec(config)?.[1];
      expect(Number(value?.replaceAll('_', '')), key).toBe(assumed);
    }
  });
});
