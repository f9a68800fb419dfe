import {describe, expect, it} from 'vitest';
import {BASE, examplePolicy, policyOf, problemLines, problemsOf} from '../policy/support.js';

const CHANNELS = {
  'vision-slack': {slack: 'vision'},
  'vision-mail': {email: ['Vision-Oncall@example.com', 'lead@example.com']},
  'platform-slack': {slack: 'platform'},
};

describe('parsePolicy: the notifications section', () => {
  it('compiles channels, team channels, a fallback and routes', () => {
    const policy = policyOf({notifications: {
      channels: CHANNELS,
      teams: {vision: ['vision-slack', 'vision-mail']},
      fallback: ['platform-slack'],
      routes: [{
        name: 'prod-failures',
        match: {projects: ['nas-prod'], locations: ['us-*'], labels: {env: 'prod', owner: '*'}, events: ['stateChanged'], states: ['FAILED', 'JOB_STATE_EXPIRED']},
        to: ['platform-slack', '$team'],
      }, {name: 'mute-dev', match: {projects: ['nas-dev-*']}, to: []}],
      defaults: false,
    }});

    const n = policy.notifications;
    expect(n.channels.get('vision-mail')).toEqual({name: 'vision-mail', kind: 'email', to: ['vision-oncall@example.com', 'lead@example.com']});
    expect(n.channels.get('vision-slack')).toEqual({name: 'vision-slack', kind: 'slack', webhook: 'vision'});
    expect(n.teamChannels.get('vision')).toEqual(['vision-slack', 'vision-mail']);
    expect(n.fallback).toEqual(['platform-slack']);
    expect(n.defaults).toBe(false);
    expect(n.routes.map(route => [route.name, route.to])).toEqual([['prod-failures', ['platform-slack', '$team']], ['mute-dev', []]]);
    const match = n.routes[0]!.match;
    expect([...match.states!]).toEqual(['JOB_STATE_FAILED', 'JOB_STATE_EXPIRED']);
    expect([...match.events!]).toEqual(['stateChanged']);
    expect(match.labels!.get('owner')).toEqual({any: true});
    expect(match.labels!.get('env')).toEqual({any: false, values: new Set(['prod'])});
  });

  it('sends nothing when the file has no notifications section, with the defaults on', () => {
    const n = policyOf({}).notifications;

    expect([n.channels.size, n.routes.length, n.fallback.length, n.defaults]).toEqual([0, 0, 0, true]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a channel with both kinds', {channels: {c: {slack: 'a', email: ['a@b.com']}}}, 'notifications.channels.c: give exactly one of: slack (a webhook name), email (recipients)'],
    ['a webhook URL in the file', {channels: {c: {slack: 'https://hooks.slack.com/services/T/B/X'}}}, 'notifications.channels.c.slack: "https://hooks.slack.com/services/T/B/X" is not the name of a webhook in NASMON_SLACK_WEBHOOKS (not its URL)'],
    ['a recipient that is two addresses', {channels: {c: {email: ['a@b.com, c@d.com']}}}, 'notifications.channels.c.email[0]: "a@b.com, c@d.com" is not an email address'],
    ['no recipients', {channels: {c: {email: []}}}, 'notifications.channels.c.email: must not be empty'],
    ['a channel name with capitals', {channels: {Ops: {slack: 'ops'}}}, 'notifications.channels.Ops: "Ops" is not a channel name (lowercase letters, digits, "-")'],
    ['team channels of an undefined team', {channels: CHANNELS, teams: {robots: ['vision-slack']}}, 'notifications.teams.robots: no team named "robots" is defined in teams'],
    ['an undefined channel in a route', {channels: CHANNELS, routes: [{name: 'r', to: ['ops']}]}, 'notifications.routes[0].to[0]: no channel named "ops" is defined in notifications.channels'],
    ['$team as a fallback', {channels: CHANNELS, fallback: ['$team']}, 'notifications.fallback[0]: $team is only allowed in a route\'s "to"'],
    ['a route without to', {routes: [{name: 'r'}]}, 'notifications.routes[0].to: required'],
    ['an unknown event kind', {routes: [{name: 'r', match: {events: ['stateChange']}, to: []}]}, 'notifications.routes[0].match.events[0]: expected one of stateChanged, deleted, trialChanged, bestImproved, enforcement, request, got "stateChange"'],
    ['an unknown state', {routes: [{name: 'r', match: {states: ['DONE']}, to: []}]}, 'notifications.routes[0].match.states[0]: expected one of a job state (FAILED or JOB_STATE_FAILED), allowed, denied, validated, failed, got "DONE"'],
    ['a label value that is a number', {routes: [{name: 'r', match: {labels: {tier: 1}}, to: []}]}, 'notifications.routes[0].match.labels.tier: expected a label value, a list of them, or "*" for any, got a number'],
    ['a misspelt match key', {routes: [{name: 'r', match: {project: ['p']}, to: []}]}, 'notifications.routes[0].match.project: unknown key; expected one of: projects, locations, labels, events, states'],
    ['defaults as a string', {defaults: 'no'}, 'notifications.defaults: expected true or false, got a string'],
    ['a route named like another rule', {routes: [{name: 'everyone', to: []}]}, 'notifications.routes[0].name: duplicate rule name "everyone" (first defined at access[0].name)'],
  ])('reports %s', (_, section, expected) => {
    expect(problemLines({notifications: section})).toEqual([expected]);
  });

  it('reports every mistake of the section at once, each with its line', () => {
    const text = [
      'version: 1',
      'access: []',
      'notifications:',
      '  channels:',
      '    ops: {slack: ops, email: [a@b.com]}',
      '  routes:',
      '    - name: r1',
      '      match: {events: [nope]}',
      '      to: [missing]',
    ].join('\n');

    expect(problemsOf(text, 'yaml', 'policy.yaml').map(p => `${p.line} ${p.path}`)).toEqual([
      '5 notifications.channels.ops',
      '8 notifications.routes[0].match.events[0]',
      '9 notifications.routes[0].to[0]',
    ]);
  });

  it('keeps the rest of the file valid when the section is fine (the example policy)', () => {
    expect(() => policyOf({...BASE, notifications: {channels: CHANNELS}})).not.toThrow();
  });
});

describe('the example policy a user copies', () => {
  it('routes with the documented channels, teams, fallback and routes', () => {
    const n = examplePolicy().notifications;

    expect([...n.channels.keys()]).toEqual(['vision-slack', 'vision-mail', 'nlp-slack', 'platform-slack']);
    expect(Object.fromEntries(n.teamChannels)).toEqual({vision: ['vision-slack', 'vision-mail'], nlp: ['nlp-slack']});
    expect(n.fallback).toEqual(['platform-slack']);
    expect(n.routes.map(route => [route.name, route.to])).toEqual([['prod-failures-to-platform', ['platform-slack', '$team']], ['quiet-dev', []]]);
  });
});
