import {ANY_NAME} from './name-matcher.js';
import {readDefined, readNameList, readRuleName, readTeamRefs, RULE_NAME, TEAM_NAME, type ParseContext} from './parse-context.js';
import type {CallerMatcher, Grant, Members, Team, TeamTarget} from './policy.js';
import type {Path} from './schema-reader.js';
import {GATE_ACTIONS, type GateAction} from './verdict.js';

// The "who" of a policy: groups (named sets of emails and domains), teams, caller matchers and
// access grants. Emails and domains are compared in lowercase.

const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const DOMAIN = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$/;
const OWN_TEAM = '$own';
const KNOWN_CALLER_KEYS = ['emails', 'domains', 'groups', 'teams'];

/** Reads `groups:` into the context; groups hold emails and domains, not other groups. */
export function readGroups(ctx: ParseContext, value: unknown, path: Path): void {
  for (const [name, raw] of ctx.reader.entries(value, path) ?? []) {
    const groupPath = [...path, name];
    ctx.reader.string(name, groupPath, {pattern: RULE_NAME, expected: 'a group name (lowercase letters, digits, "-")'});
    const members = readMembers(ctx, raw, groupPath, false);
    if (members) ctx.groups.set(name, members);
  }
}

/** Reads `teams:` (names first, so caller matchers may refer to any team). */
export function readTeams(ctx: ParseContext, value: unknown, path: Path): Team[] {
  const entries = ctx.reader.entries(value, path) ?? [];
  for (const [name] of entries) {
    if (ctx.reader.string(name, [...path, name], {pattern: TEAM_NAME, expected: 'a team name usable as a label value (lowercase letters, digits, "_", "-")'})) {
      ctx.teamNames.add(name);
    }
  }
  const teams: Team[] = [];
  for (const [name, raw] of entries) {
    const members = readMembers(ctx, raw, [...path, name], true);
    if (members) teams.push({name, members});
  }
  return teams;
}

/** Maps each email and domain to the first team (in file order) that lists it; an email listed directly by two teams is an error. */
export function indexTeams(ctx: ParseContext, teams: readonly Team[], raw: unknown, path: Path) {
  const teamByEmail = new Map<string, string>();
  const teamByDomain = new Map<string, string>();
  const direct = new Map<string, string>();
  for (const team of teams) {
    for (const email of team.members.emails) if (!teamByEmail.has(email)) teamByEmail.set(email, team.name);
    for (const domain of team.members.domains) if (!teamByDomain.has(domain)) teamByDomain.set(domain, team.name);
    const listed = (raw as Record<string, {emails?: unknown}>)[team.name]?.emails;
    if (!Array.isArray(listed)) continue;
    listed.forEach((email, index) => {
      const key = String(email).toLowerCase();
      const other = direct.get(key);
      if (other && other !== team.name) ctx.reader.report([...path, team.name, 'emails', index], `${key} is already a member of team "${other}"`);
      else direct.set(key, team.name);
    });
  }
  return {teamByEmail, teamByDomain};
}

/** Reads a caller matcher: `{emails?, domains?, groups?, teams?}` with at least one entry. */
export function readCallers(ctx: ParseContext, value: unknown, path: Path): CallerMatcher | undefined {
  const raw = ctx.reader.object(value, path, {optional: KNOWN_CALLER_KEYS});
  if (!raw) return undefined;
  const members = readMembers(ctx, {emails: raw.emails, domains: raw.domains, groups: raw.groups}, path, true);
  let teams: CallerMatcher['teams'] | undefined = new Set();
  if (Array.isArray(raw.teams) && raw.teams.length === 1 && raw.teams[0] === '*') teams = '*';
  else if (raw.teams !== undefined) teams = readTeamRefs(ctx, raw.teams, [...path, 'teams']);
  if (!members || !teams) return undefined;
  // Only when nothing was given: entries that were given but wrong are reported already.
  const lists = [raw.emails, raw.domains, raw.groups, raw.teams];
  if (Object.keys(raw).every(key => KNOWN_CALLER_KEYS.includes(key)) && lists.every(list => list === undefined || (Array.isArray(list) && list.length === 0))) {
    ctx.reader.report(path, 'matches no caller: give emails, domains, groups or teams');
    return undefined;
  }
  return {...members, teams};
}

/** Reads one access grant. */
export function readGrant(ctx: ParseContext, value: unknown, path: Path): Grant | undefined {
  const raw = ctx.reader.object(value, path, {required: ['name', 'callers', 'actions'], optional: ['projects', 'locations', 'teams']});
  if (!raw) return undefined;
  const name = readRuleName(ctx, raw.name, [...path, 'name']);
  const callers = raw.callers === undefined ? undefined : readCallers(ctx, raw.callers, [...path, 'callers']);
  const actions = readActions(ctx, raw.actions, [...path, 'actions']);
  const projects = raw.projects === undefined ? ANY_NAME : readNameList(ctx.reader, raw.projects, [...path, 'projects']);
  const locations = raw.locations === undefined ? ANY_NAME : readNameList(ctx.reader, raw.locations, [...path, 'locations']);
  const teams = raw.teams === undefined ? ANY_TEAM : readTeamTarget(ctx, raw.teams, [...path, 'teams']);
  if (!name || !callers || !actions || !projects || !locations || !teams) return undefined;
  return {name, callers, actions, projects, locations, teams};
}

const ANY_TEAM: TeamTarget = {any: true, own: false, names: new Set()};

function readActions(ctx: ParseContext, value: unknown, path: Path): ReadonlySet<GateAction> | undefined {
  if (Array.isArray(value) && value.length === 1 && value[0] === '*') return new Set(GATE_ACTIONS);
  const actions = ctx.reader.list(value, path, (item, itemPath) => ctx.reader.oneOf(item, itemPath, GATE_ACTIONS), {nonEmpty: true});
  return actions && actions.length > 0 ? new Set(actions) : undefined;
}

function readTeamTarget(ctx: ParseContext, value: unknown, path: Path): TeamTarget | undefined {
  const items = ctx.reader.list(value, path, (item, itemPath) =>
    item === '*' || item === OWN_TEAM ? item : readDefined(ctx, item, itemPath, 'team'), {nonEmpty: true});
  if (!items || items.length === 0) return undefined;
  return {any: items.includes('*'), own: items.includes(OWN_TEAM), names: new Set(items)};
}

function readMembers(ctx: ParseContext, value: unknown, path: Path, withGroups: boolean): Members | undefined {
  const optional = withGroups ? ['emails', 'domains', 'groups'] : ['emails', 'domains'];
  const raw = ctx.reader.object(value, path, {optional});
  if (!raw) return undefined;
  const r = ctx.reader;
  const lower = (pattern: RegExp, what: string) => (item: unknown, itemPath: Path) =>
    r.string(item, itemPath, {pattern, expected: what, maxLength: 320})?.toLowerCase();
  const emails = raw.emails === undefined ? [] : r.list(raw.emails, [...path, 'emails'], lower(EMAIL, 'an email address'));
  const domains = raw.domains === undefined ? [] : r.list(raw.domains, [...path, 'domains'], lower(DOMAIN, 'a domain like example.com'));
  const groups = raw.groups === undefined ? [] : r.list(raw.groups, [...path, 'groups'], (item, p) => readDefined(ctx, item, p, 'group'));
  if (!emails || !domains || !groups) return undefined;
  const members = {emails: new Set(emails), domains: new Set(domains)};
  for (const group of groups) {
    const groupMembers = ctx.groups.get(group);
    groupMembers?.emails.forEach(email => members.emails.add(email));
    groupMembers?.domains.forEach(domain => members.domains.add(domain));
  }
  return members;
}
