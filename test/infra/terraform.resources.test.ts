// infra/ against the code, resource by resource: the Pub/Sub topics and subscriptions the code and
// the local stack use, the Firestore indexes and TTL fields, and the source zip the functions are
// built from. IAM: terraform.iam.test.ts.
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, normalize, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {sourceFiles} from './code-model.js';
import {declaredEnv, kebab, readSource, ROOT, topicKeyOf, useInfra} from './infra.support.js';
import {block, dynamicBlock, expressionOf, objectLocal, resource, type Body} from './terraform-model.js';

const infra = useInfra();

const topics = () => objectLocal(infra().tf, 'topics') as unknown as Record<string, string>;
/** The registrations infra/ declares a function for (terraform.test.ts fails on the others). */
const declared = () => infra().registrations.filter(r => r.entry in infra().functions);
const subscriptionOf = (entry: string) => infra().functions[entry]!.subscription as Body | null;

describe('Pub/Sub', () => {
  // Topic variables and their defaults, as shared/config.ts reads them.
  const codeTopics = () => new Map([...readSource('shared/config.ts').matchAll(/(NASMON_[A-Z_]*TOPIC)'?[^'\n]*'([a-z][\w.~%+-]{2,})'/g)].map(m => [m[1]!, m[2]!]));
  const localStack = () => readSource('scripts/local/topology.ts');
  const localTopics = () => {
    const body = /TOPICS\s*=\s*\{([^}]*)\}/.exec(localStack())?.[1];
    if (body === undefined) throw new Error('scripts/local/topology.ts: no TOPICS = {…} to compare with');
    return new Map([...body.matchAll(/(\w+):\s*'([^']+)'/g)].map(m => [m[1]!, m[2]!]));
  };

  it('declares the topics of the code and the local stack under their names, and sets them on the functions', () => {
    const declared = Object.values(topics());
    const topicVariables = [...infra().code.env.all].filter(name => name.endsWith('_TOPIC'));
    expect(topicVariables.filter(name => !codeTopics().has(name))).toEqual([]);
    for (const [variable, name] of codeTopics()) {
      expect(declared, variable).toContain(name);
      for (const entry of Object.keys(infra().functions)) {
        const value = declaredEnv(infra(), entry).plain[variable];
        if (value !== undefined) expect(topics()[topicKeyOf(value) ?? ''], `${entry} ${variable}`).toBe(name);
      }
    }
    expect([...localTopics().values()].filter(name => !declared.includes(name))).toEqual([]);
  });

  it('declares no topic that nothing publishes to or reads', () => {
    const ticks = Object.values(objectLocal(infra().tf, 'ticks')).map(tick => tick.topic);
    const deadLetter = topicKeyOf(block(resource(infra().tf, 'google_pubsub_subscription.push'), 'dead_letter_policy')?.dead_letter_topic);
    const used = new Set([...codeTopics().values(), ...localTopics().values()]);
    expect(Object.entries(topics()).filter(([key, name]) => !used.has(name) && !ticks.includes(key) && key !== deadLetter)).toEqual([]);
    expect(topicKeyOf(resource(infra().tf, 'google_pubsub_subscription.dead_letter_hold').topic)).toBe(deadLetter);
  });

  it('names each push subscription after its entry point, on the same topic as the local stack', () => {
    const subscriptions = [...localStack().matchAll(/\b(?:push|subscription)\(pubsub,\s*TOPICS\.(\w+),\s*'([\w-]+)'/g)];
    for (const [, topicKey, name] of subscriptions) {
      const entry = infra().registrations.find(r => kebab(r.entry) === name)?.entry;
      if (entry === undefined) continue; // a local-only subscription (the event log)
      expect(infra().functions[entry]?.name, name).toBe(name);
      expect(topics()[subscriptionOf(entry)!.topic as string], name).toBe(localTopics().get(topicKey!));
    }
    const push = resource(infra().tf, 'google_pubsub_subscription.push');
    expect(push).toMatchObject({for_each: '${local.push_subscriptions}', name: '${each.value.name}'});
    expect(infra().tf.locals.push_subscriptions).toContain('merge(spec.subscription, { name = spec.name })');
  });

  it('pushes into the function with an OIDC identity, retries with backoff, and dead-letters', () => {
    const push = resource(infra().tf, 'google_pubsub_subscription.push');
    const config = block(push, 'push_config');
    expect(config?.push_endpoint).toMatch(/^\$\{google_cloudfunctions2_function\.fn\[each\.key\]\.service_config\[0\]\.uri\}\/projects\/\$\{var\.project_id\}\/topics\//);
    expect(block(config, 'oidc_token')?.service_account_email).toBe('${google_service_account.sa["push"].email}');
    expect(block(push, 'retry_policy')).toMatchObject({minimum_backoff: expect.any(String), maximum_backoff: expect.any(String)});
    expect(block(push, 'dead_letter_policy')?.max_delivery_attempts).toBe('${var.max_delivery_attempts}');
    for (const r of declared().filter(r => r.kind === 'cloudEvent')) {
      const sub = subscriptionOf(r.entry)!;
      expect(Object.keys(topics()), r.entry).toContain(sub.topic);
      // Pub/Sub must not redeliver while the invocation still runs.
      expect(sub.ack_deadline_seconds, r.entry).toBe(infra().functions[r.entry]!.timeout_seconds);
    }
  });

  it('orders nasjob-events by job for enforce, and not for notify, whose groups wait for later events', () => {
    const publishers = sourceFiles(ROOT, 'shared/adapters/pubsub').map(readSource).join('\n');
    expect(publishers, 'events are published with ordering keys').toMatch(/\borderingKey:/);
    const onEvents = Object.keys(infra().functions).filter(entry => subscriptionOf(entry)?.topic === 'events');
    for (const entry of onEvents) expect(typeof subscriptionOf(entry)!.ordering, entry).toBe('boolean');
    // README, "enforce": ordering on, so one job's events do not contend; "notify": ordering off,
    // or Pub/Sub would hold a burst behind the event whose invocation waits out the window.
    expect(subscriptionOf('enforce')?.ordering).toBe(true);
    expect(subscriptionOf('notify')?.ordering).toBe(false);
  });

  it('ticks only topics that an entry point is pushed from', () => {
    const pushed = new Set(Object.keys(infra().functions).map(entry => subscriptionOf(entry)?.topic));
    for (const [name, tick] of Object.entries(objectLocal(infra().tf, 'ticks'))) expect(pushed.has(tick.topic as string), name).toBe(true);
  });
});

describe('Firestore', () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'firestore.indexes.json'), 'utf8')) as {indexes: Body[]; fieldOverrides: Body[]};

  it('generates the indexes and field overrides from firestore.indexes.json, so they cannot drift', () => {
    const source = expressionOf(infra().tf.locals.firestore_config) ?? '';
    const file = /file\("\$\{path\.module\}\/([^"]+)"\)/.exec(source)?.[1];
    expect(source).toMatch(/^jsondecode\(file\(/);
    expect(normalize(join('infra', file ?? 'missing'))).toBe('firestore.indexes.json');
    expect(infra().tf.locals.composite_indexes).toContain('in local.firestore_config.indexes');
    expect(infra().tf.locals.field_overrides).toContain('in local.firestore_config.fieldOverrides');
    expect(resource(infra().tf, 'google_firestore_index.composite').for_each).toBe('${local.composite_indexes}');
    expect(resource(infra().tf, 'google_firestore_field.override').for_each).toBe('${local.field_overrides}');
    // Every key the file uses is one infra/ maps; a new kind of setting needs infra/ too.
    const keys = (items: readonly Body[]) => new Set(items.flatMap(item => Object.keys(item)));
    expect([...keys(config.indexes)].filter(k => !['collectionGroup', 'queryScope', 'fields'].includes(k))).toEqual([]);
    expect([...keys(config.indexes.flatMap(i => i.fields as Body[]))].filter(k => !['fieldPath', 'order', 'arrayConfig'].includes(k))).toEqual([]);
    expect([...keys(config.fieldOverrides)].filter(k => !['collectionGroup', 'fieldPath', 'indexes'].includes(k))).toEqual([]);
    expect([...keys(config.fieldOverrides.flatMap(o => o.indexes as Body[]))].filter(k => !['order', 'arrayConfig', 'queryScope'].includes(k))).toEqual([]);
  });

  it('puts TTL policies only on Timestamp fields the code writes in that collection', () => {
    const adapters = sourceFiles(ROOT, 'shared/adapters/firestore').map(file => readSource(file));
    for (const [collection, field] of Object.entries(objectLocal(infra().tf, 'ttl_fields') as unknown as Record<string, string>)) {
      const key = new RegExp(`(\\w+): '${collection}'`).exec(adapters.join('\n'))?.[1];
      const writers = adapters.filter(text => text.includes(`'${collection}'`) || (key !== undefined && text.includes(`.${key}`)));
      // A Timestamp built in place, or by collections.ts's expireAtOf.
      expect(writers.some(text => new RegExp(`\\b${field}: (Timestamp\\.|expireAtOf\\()`).test(text)), `${collection}.${field}`).toBe(true);
      expect(config.fieldOverrides.some(o => o.collectionGroup === collection && o.fieldPath === field), `${collection}.${field} is also an override`).toBe(false);
    }
  });
});

describe('source zip', () => {
  const zipped = () => {
    const dirs = infra().tf.locals.source_dirs as string[];
    const files = infra().tf.locals.source_files as string[];
    const walk = (dir: string): string[] => readdirSync(join(ROOT, dir)).flatMap(name => {
      const path = join(dir, name);
      return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
    });
    return new Set([...files, ...dirs.flatMap(walk)]);
  };

  it('holds the deployed main, the build files, and every file the zipped sources import', () => {
    const files = zipped();
    const main = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {main: string}).main;
    expect(files).toContain(main.replace(/^build\//, '').replace(/\.js$/, '.ts'));
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) expect(files).toContain(file);
    const unresolved = [...files].filter(file => file.endsWith('.ts')).flatMap(file =>
      [...readSource(file).matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)]
        .map(m => relative(ROOT, join(ROOT, dirname(file), m[1]!.replace(/\.js$/, '.ts'))))
        .filter(target => !files.has(target) && !existsSync(join(ROOT, target, 'index.ts')))
        .map(target => `${file} → ${target}`));
    expect(unresolved).toEqual([]);
    const archive = infra().tf.data.get('archive_file.source');
    expect(dynamicBlock(archive, 'source')?.for_each).toBe('${local.source_paths}');
  });

  it('holds only UTF-8 text (Terraform file() reads no other) and nothing local or secret', () => {
    const decoder = new TextDecoder('utf-8', {fatal: true});
    const files = [...zipped()];
    expect(files.filter(file => {
      try {
        decoder.decode(readFileSync(join(ROOT, file)));
        return false;
      } catch {
        return true;
      }
    })).toEqual([]);
    expect(files.filter(file => /(^|\/)(\.nasmon|\.git|infra|node_modules|test|build|\.env[^/]*)(\/|$)/.test(file))).toEqual([]);
  });
});
