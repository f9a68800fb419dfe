import {NOTIFY_EVENT_KINDS, REQUEST_VERDICTS, type NotifyEventKind} from '../notify/event-kinds.js';
import {JOB_STATES} from '../vertex/index.js';
import {NO_NOTIFICATIONS, TEAM_CHANNELS, type LabelMatch, type NotificationPolicy, type NotifyChannel, type NotifyRoute, type RouteMatch} from './notification-policy.js';
import {LABEL_KEY, LABEL_VALUE, readDefined, readNameList, readRuleName, RULE_NAME, type ParseContext} from './parse-context.js';
import {describeType, type Path} from './schema-reader.js';

// `notifications:` — named channels, the team → channels map, and routes from events to channels.
// Every problem is reported at its path, like the other sections; docs/policy.md is the reference.

const SECTION_KEYS = ['channels', 'teams', 'fallback', 'routes', 'defaults'];
const MATCH_KEYS = ['projects', 'locations', 'labels', 'events', 'states'];
/** Keys of NASMON_SLACK_WEBHOOKS: the file names a webhook, the environment holds its URL. */
export const WEBHOOK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
// No characters that separate or quote addresses in a header: one entry is one mailbox.
const EMAIL = /^[^\s@<>,;:"()[\]\\]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$/;
const MAX_RECIPIENTS = 50;

/** Reads the section; an absent section sends nothing. Problems are recorded in `ctx`. */
export function readNotifications(ctx: ParseContext, value: unknown, path: Path): NotificationPolicy {
  if (value == null) return NO_NOTIFICATIONS;
  const raw = ctx.reader.object(value, path, {optional: SECTION_KEYS});
  if (!raw) return NO_NOTIFICATIONS;
  const channels = raw.channels == null ? new Map<string, NotifyChannel>() : readChannels(ctx, raw.channels, [...path, 'channels']);
  const refs = (list: unknown, at: Path, allowTeam: boolean) => readChannelRefs(ctx, list, at, channels, allowTeam) ?? [];
  const teamChannels = new Map<string, readonly string[]>();
  for (const [team, list] of raw.teams == null ? [] : ctx.reader.entries(raw.teams, [...path, 'teams']) ?? []) {
    const at = [...path, 'teams', team];
    if (readDefined(ctx, team, at, 'team') !== undefined) teamChannels.set(team, refs(list, at, false));
  }
  const routes = raw.routes == null ? [] : ctx.reader.list(raw.routes, [...path, 'routes'], (item, at) => readRoute(ctx, item, at, channels)) ?? [];
  const defaults = raw.defaults === undefined ? true : ctx.reader.boolean(raw.defaults, [...path, 'defaults']) ?? true;
  return {channels, teamChannels, fallback: raw.fallback == null ? [] : refs(raw.fallback, [...path, 'fallback'], false), routes, defaults};
}

function readChannels(ctx: ParseContext, value: unknown, path: Path): Map<string, NotifyChannel> {
  const channels = new Map<string, NotifyChannel>();
  for (const [name, spec] of ctx.reader.entries(value, path) ?? []) {
    const at = [...path, name];
    const validName = ctx.reader.string(name, at, {pattern: RULE_NAME, expected: 'a channel name (lowercase letters, digits, "-")'});
    const raw = ctx.reader.object(spec, at, {optional: ['slack', 'email']});
    if (!raw) continue;
    if ((raw.slack === undefined) === (raw.email === undefined)) {
      ctx.reader.report(at, 'give exactly one of: slack (a webhook name), email (recipients)');
      continue;
    }
    const channel = raw.slack !== undefined ? readSlack(ctx, name, raw.slack, [...at, 'slack']) : readEmail(ctx, name, raw.email, [...at, 'email']);
    if (validName !== undefined && channel) channels.set(name, channel);
  }
  return channels;
}

function readSlack(ctx: ParseContext, name: string, value: unknown, path: Path): NotifyChannel | undefined {
  const webhook = ctx.reader.string(value, path, {pattern: WEBHOOK_NAME, expected: 'the name of a webhook in NASMON_SLACK_WEBHOOKS (not its URL)'});
  return webhook === undefined ? undefined : {name, kind: 'slack', webhook};
}

function readEmail(ctx: ParseContext, name: string, value: unknown, path: Path): NotifyChannel | undefined {
  const list = typeof value === 'string' ? [value] : value;
  const read = (item: unknown, at: Path) => ctx.reader.string(item, at, {pattern: EMAIL, expected: 'an email address', maxLength: 254})?.toLowerCase();
  const to = ctx.reader.list(list, path, read, {nonEmpty: true, maxItems: MAX_RECIPIENTS});
  return to && to.length > 0 ? {name, kind: 'email', to: [...new Set(to)]} : undefined;
}

function readChannelRefs(ctx: ParseContext, value: unknown, path: Path, channels: ReadonlyMap<string, NotifyChannel>, allowTeam: boolean): string[] | undefined {
  const names = ctx.reader.list(value, path, (item, at) => {
    const ref = ctx.reader.string(item, at);
    if (ref === undefined) return undefined;
    if (ref === TEAM_CHANNELS && allowTeam) return ref;
    if (channels.has(ref)) return ref;
    const hint = ref === TEAM_CHANNELS ? `${TEAM_CHANNELS} is only allowed in a route's "to"` : `no channel named "${ref}" is defined in notifications.channels`;
    ctx.reader.report(at, hint);
    return undefined;
  });
  return names && [...new Set(names)];
}

function readRoute(ctx: ParseContext, value: unknown, path: Path, channels: ReadonlyMap<string, NotifyChannel>): NotifyRoute | undefined {
  const raw = ctx.reader.object(value, path, {required: ['name', 'to'], optional: ['match']});
  if (!raw) return undefined;
  const name = readRuleName(ctx, raw.name, [...path, 'name']);
  const match = raw.match === undefined ? {} : readMatch(ctx, raw.match, [...path, 'match']);
  const to = raw.to === undefined ? undefined : readChannelRefs(ctx, raw.to, [...path, 'to'], channels, true);
  return name === undefined || !match || !to ? undefined : {name, match, to};
}

function readMatch(ctx: ParseContext, value: unknown, path: Path): RouteMatch | undefined {
  const r = ctx.reader;
  const raw = r.object(value, path, {optional: MATCH_KEYS});
  if (!raw) return undefined;
  const match: {-readonly [K in keyof RouteMatch]: RouteMatch[K]} = {};
  let ok = true;
  const set = <K extends keyof RouteMatch>(key: K, read: () => RouteMatch[K] | undefined) => {
    if (raw[key] === undefined) return;
    const result = read();
    if (result === undefined) ok = false;
    else match[key] = result;
  };
  set('projects', () => readNameList(r, raw.projects, [...path, 'projects']));
  set('locations', () => readNameList(r, raw.locations, [...path, 'locations']));
  set('labels', () => readLabels(ctx, raw.labels, [...path, 'labels']));
  set('events', () => readAnyOf<NotifyEventKind>(ctx, raw.events, [...path, 'events'], item => (NOTIFY_EVENT_KINDS as readonly string[]).includes(item) ? item as NotifyEventKind : undefined, NOTIFY_EVENT_KINDS));
  set('states', () => readAnyOf(ctx, raw.states, [...path, 'states'], stateName, ['a job state (FAILED or JOB_STATE_FAILED)', ...REQUEST_VERDICTS]));
  return ok ? match : undefined;
}

/** A job state written with or without its `JOB_STATE_` prefix, or a request verdict. */
function stateName(written: string): string | undefined {
  const full = written.startsWith('JOB_STATE_') ? written : `JOB_STATE_${written}`;
  if ((JOB_STATES as readonly string[]).includes(full)) return full;
  return (REQUEST_VERDICTS as readonly string[]).includes(written) ? written : undefined;
}

function readAnyOf<T extends string>(ctx: ParseContext, value: unknown, path: Path, parse: (item: string) => T | undefined, expected: readonly string[]): ReadonlySet<T> | undefined {
  const items = ctx.reader.list(value, path, (item, at) => {
    const text = ctx.reader.string(item, at);
    if (text === undefined) return undefined;
    const parsed = parse(text);
    if (parsed === undefined) ctx.reader.report(at, `expected one of ${expected.join(', ')}, got "${text}"`);
    return parsed;
  }, {nonEmpty: true});
  return items && items.length > 0 ? new Set(items) : undefined;
}

function readLabels(ctx: ParseContext, value: unknown, path: Path): ReadonlyMap<string, LabelMatch> | undefined {
  const labels = new Map<string, LabelMatch>();
  const entries = ctx.reader.entries(value, path);
  if (!entries) return undefined;
  let ok = true;
  for (const [key, raw] of entries) {
    const at = [...path, key];
    const validKey = ctx.reader.string(key, at, {pattern: LABEL_KEY, expected: 'a label key'});
    const match = raw === '*' ? {any: true as const} : readLabelValues(ctx, raw, at);
    if (validKey === undefined || !match) ok = false;
    else labels.set(key, match);
  }
  return ok ? labels : undefined;
}

function readLabelValues(ctx: ParseContext, value: unknown, path: Path): LabelMatch | undefined {
  if (typeof value !== 'string' && !Array.isArray(value)) {
    ctx.reader.report(path, `expected a label value, a list of them, or "*" for any, got ${describeType(value)}`);
    return undefined;
  }
  const list = typeof value === 'string' ? [value] : value;
  const read = (item: unknown, at: Path) => ctx.reader.string(item, at, {pattern: LABEL_VALUE, expected: 'a label value, or "*" for any'});
  const values = ctx.reader.list(list, path, read, {nonEmpty: true});
  return values && values.length > 0 ? {any: false, values: new Set(values)} : undefined;
}
