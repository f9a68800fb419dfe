import {parsePolicyDuration} from './name-matcher.js';
import {LABEL_KEY, LABEL_VALUE, readKindedRule, type ParseContext} from './parse-context.js';
import {STAGES, TEAM_LABEL, type MutationRule, type Stage} from './policy.js';
import type {Path} from './schema-reader.js';

// `mutations:` — changes applied to every create, in file order, before the submission rules.

const MUTATION_KINDS = {
  'label': {required: ['key', 'value'], optional: ['overwrite']},
  'team-label': {optional: ['overwrite']},
  'default-trial-timeout': {required: ['timeout'], optional: ['stages']},
} as const;

/** Reads one mutation rule. */
export function readMutation(ctx: ParseContext, value: unknown, path: Path): MutationRule | undefined {
  const rule = readKindedRule(ctx, value, path, MUTATION_KINDS);
  if (!rule) return undefined;
  const {kind, raw, base} = rule;
  const r = ctx.reader;
  const overwrite = raw.overwrite === undefined ? true : r.boolean(raw.overwrite, [...path, 'overwrite']);
  switch (kind) {
    case 'label': {
      const key = r.string(raw.key, [...path, 'key'], {pattern: LABEL_KEY, expected: 'a label key'});
      const labelValue = r.string(raw.value, [...path, 'value'], {pattern: LABEL_VALUE, expected: 'a label value'});
      if (key === TEAM_LABEL) r.report([...path, 'key'], `use kind team-label to set the "${TEAM_LABEL}" label`);
      if (!base || key === undefined || key === TEAM_LABEL || labelValue === undefined || overwrite === undefined) return undefined;
      return {...base, kind, key, value: labelValue, overwrite};
    }
    case 'team-label':
      return base && overwrite !== undefined ? {...base, kind, overwrite} : undefined;
    case 'default-trial-timeout': {
      const timeoutSeconds = readDuration(ctx, raw.timeout, [...path, 'timeout']);
      const stages = raw.stages === undefined
        ? [...STAGES]
        : r.list(raw.stages, [...path, 'stages'], (item, p) => r.oneOf<Stage>(item, p, STAGES), {nonEmpty: true});
      if (!base || timeoutSeconds === undefined || !stages || stages.length === 0) return undefined;
      return {...base, kind, timeoutSeconds, stages};
    }
  }
}

/** Reads a positive duration such as `24h`, `7d`, `90m` or `"3600s"`. */
export function readDuration(ctx: ParseContext, value: unknown, path: Path): number | undefined {
  const text = ctx.reader.string(value, path);
  if (text === undefined) return undefined;
  const seconds = parsePolicyDuration(text);
  if (seconds === undefined || seconds <= 0) {
    ctx.reader.report(path, `"${text}" is not a positive duration like 90m, 36h, 7d or 3600s`);
    return undefined;
  }
  return seconds;
}
