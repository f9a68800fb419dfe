import {readActionRule} from './parse-action-rules.js';
import type {ParseContext} from './parse-context.js';
import {parseDocumentText, type PolicyFormat} from './parse-document.js';
import {readMutation} from './parse-mutations.js';
import {readNotifications} from './parse-notifications.js';
import {indexTeams, readGrant, readGroups, readTeams} from './parse-principals.js';
import {readRuntimePolicy} from './parse-runtime-rules.js';
import {readSubmissionRule} from './parse-submission-rules.js';
import {PolicyError, type PolicyProblem} from './policy-error.js';
import type {Policy} from './policy.js';
import {formatPath, Reader, type Path} from './schema-reader.js';

/** A policy file's text, its format and its name (for problem reports). */
export interface PolicySource {
  readonly text: string;
  readonly format: PolicyFormat;
  readonly file: string;
}

const SECTIONS = ['version', 'groups', 'teams', 'access', 'mutations', 'submissionRules', 'actionRules', 'runtime', 'notifications'];

/** Parses and validates a policy file; throws {@link PolicyError} listing every problem found. */
export function parsePolicy(source: PolicySource): Policy {
  const doc = parseDocumentText(source.text, source.format);
  const ctx: ParseContext = {reader: new Reader(), groups: new Map(), teamNames: new Set(), ruleNames: new Map()};
  const policy = doc.value === undefined ? undefined : readPolicy(ctx, doc.value, source.file);
  const located = ctx.reader.problems.map(({path, reason}) => {
    const line = doc.lineOf(path);
    return {path: formatPath(path), reason, ...(line === undefined ? {} : {line})};
  });
  const problems: PolicyProblem[] = [...doc.problems.map(p => ({...p, path: formatPath(p.path)})), ...located]
    .map(problem => ({file: source.file, ...problem}))
    // In file order, as an editor shows them; problems without a line stay first.
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length > 0 || !policy) {
    throw new PolicyError(problems.length > 0 ? problems : [{file: source.file, path: '$', reason: 'unreadable'}]);
  }
  return policy;
}

function readPolicy(ctx: ParseContext, value: unknown, file: string): Policy | undefined {
  const raw = ctx.reader.object(value, [], {required: ['version', 'access'], optional: SECTIONS});
  if (!raw) return undefined;
  if (raw.version !== undefined && raw.version !== 1) ctx.reader.report(['version'], `unsupported version ${JSON.stringify(raw.version)}; this nasmon reads version 1`);
  // Groups and teams come first: every other section refers to them.
  if (raw.groups != null) readGroups(ctx, raw.groups, ['groups']);
  const teams = raw.teams == null ? [] : readTeams(ctx, raw.teams, ['teams']);
  const index = indexTeams(ctx, teams, raw.teams, ['teams']);
  const section = <T>(key: string, read: (ctx: ParseContext, value: unknown, path: Path) => T | undefined): T[] =>
    raw[key] == null ? [] : ctx.reader.list(raw[key], [key], (item, path) => read(ctx, item, path)) ?? [];
  const policy: Policy = {
    file,
    version: 1,
    teams,
    ...index,
    access: section('access', readGrant),
    mutations: section('mutations', readMutation),
    submissionRules: section('submissionRules', readSubmissionRule),
    actionRules: section('actionRules', readActionRule),
    notifications: readNotifications(ctx, raw.notifications, ['notifications']),
    runtime: readRuntimePolicy(ctx, raw.runtime, ['runtime']),
  };
  return policy;
}
