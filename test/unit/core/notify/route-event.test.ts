import {describe, expect, it} from 'vitest';
import {jobFactsOf, type MirroredJob} from '../../../../shared/core/notify/job-facts.js';
import type {NotifyEvent} from '../../../../shared/core/notify/notify-event.js';
import {routeEvent} from '../../../../shared/core/notify/route-event.js';
import {aNasJob} from '../../../factories.js';
import {failedJob, notifyEventOf, pollEvents, recordOf, trials, withTrials} from '../../../notify-events.js';
import {policyOf} from '../policy/support.js';

const CHANNELS = {
  'vision-slack': {slack: 'vision'}, 'vision-mail': {email: ['vision@example.com']},
  'nlp-slack': {slack: 'nlp'}, 'platform-slack': {slack: 'platform'}, 'prod-pager': {email: ['pager@example.com']},
};
const TEAMS = {vision: ['vision-slack', 'vision-mail'], nlp: ['nlp-slack']};

const failed = notifyEventOf(pollEvents(failedJob())[0]!);
const succeeded = notifyEventOf(pollEvents({state: 'JOB_STATE_SUCCEEDED', endTime: '2025-07-20T12:00:00Z'})[0]!);
const [trial, , best] = pollEvents(withTrials(trials(2))).map(notifyEventOf) as [NotifyEvent, NotifyEvent, NotifyEvent];
/** The mirror as the poller keeps it for nas-prod/us-central1 (job names carry the project number). */
const mirror = (labels: Record<string, string>): MirroredJob => ({project: 'nas-prod', location: 'us-central1', job: {labels}, state: 'JOB_STATE_RUNNING', stages: {}});

function route(notifications: Record<string, unknown>, event: NotifyEvent, labels: Record<string, string> = {team: 'vision'}) {
  const withLabels = event.kind === 'stateChanged' ? {...event, job: {...event.job, labels}} : event;
  return routeEvent(policyOf({notifications}).notifications, withLabels, jobFactsOf(event.subject, [withLabels], mirror(labels)));
}

describe('routeEvent with the built-in defaults', () => {
  it.each<[string, NotifyEvent, Record<string, string>, string[]]>([
    ['a failure goes to the team\'s channels', failed, {team: 'vision'}, ['vision-slack', 'vision-mail']],
    ['a success goes to the team\'s channels', succeeded, {team: 'nlp'}, ['nlp-slack']],
    ['a best-metric improvement goes to the team\'s channels', best, {team: 'vision'}, ['vision-slack', 'vision-mail']],
    ['a trial change goes nowhere', trial, {team: 'vision'}, []],
    ['a job without a team goes to the fallback', failed, {}, ['platform-slack']],
    ['a team without channels goes to the fallback', failed, {team: 'robots'}, ['platform-slack']],
  ])('%s', (_, event, labels, channels) => {
    expect(route({channels: CHANNELS, teams: TEAMS, fallback: ['platform-slack']}, event, labels).channels).toEqual(channels);
  });

  it('leaves a state change into a non-terminal state alone', () => {
    const started = notifyEventOf(pollEvents({state: 'JOB_STATE_RUNNING'}, {before: recordOf(aNasJob({state: 'JOB_STATE_PENDING'}))})[0]!);

    expect(started).toMatchObject({previousState: 'JOB_STATE_PENDING', state: 'JOB_STATE_RUNNING'});

    expect(route({channels: CHANNELS, teams: TEAMS}, started).channels).toEqual([]);
  });

  it('names the default that decided', () => {
    expect(route({channels: CHANNELS, teams: TEAMS}, failed).rules).toEqual(['default:terminal-state']);
  });

  it('sends nothing by default when defaults are off', () => {
    expect(route({channels: CHANNELS, teams: TEAMS, defaults: false}, failed)).toEqual({channels: [], rules: []});
  });
});

describe('routeEvent with routes', () => {
  const routes = (list: unknown[]) => ({channels: CHANNELS, teams: TEAMS, fallback: ['platform-slack'], routes: list});

  it.each<[string, Record<string, unknown>, NotifyEvent, Record<string, string>, boolean]>([
    ['the configured project ID', {projects: ['nas-prod']}, failed, {team: 'vision'}, true],
    ['the project number of the job name', {projects: ['123456789012']}, failed, {team: 'vision'}, true],
    ['a project prefix that does not fit', {projects: ['nas-dev-*']}, failed, {team: 'vision'}, false],
    ['a location prefix', {locations: ['us-*']}, failed, {team: 'vision'}, true],
    ['a label value', {labels: {env: 'prod'}}, failed, {team: 'vision', env: 'prod'}, true],
    ['a label value of a list', {labels: {env: ['staging', 'prod']}}, failed, {env: 'prod'}, true],
    ['a label the job lacks', {labels: {env: 'prod'}}, failed, {team: 'vision'}, false],
    ['any value of a present label', {labels: {owner: '*'}}, failed, {owner: 'bob'}, true],
    ['the event kind', {events: ['bestImproved']}, best, {team: 'vision'}, true],
    ['another event kind', {events: ['bestImproved']}, failed, {team: 'vision'}, false],
    ['the short state name', {states: ['FAILED']}, failed, {team: 'vision'}, true],
    ['another state', {states: ['SUCCEEDED']}, failed, {team: 'vision'}, false],
    ['all conditions together', {projects: ['nas-prod'], events: ['stateChanged'], states: ['FAILED'], labels: {team: 'vision'}}, failed, {team: 'vision'}, true],
  ])('matches on %s: %s', (_, match, event, labels, matches) => {
    const decision = route(routes([{name: 'r', match, to: ['prod-pager']}]), event, labels);

    expect(decision.rules.includes('r')).toBe(matches);
  });

  it('sends to every matching route\'s channels, each once, resolving $team', () => {
    const decision = route(routes([
      {name: 'failures', match: {states: ['FAILED']}, to: ['prod-pager', '$team']},
      {name: 'vision', match: {labels: {team: 'vision'}}, to: ['vision-slack']},
    ]), failed);

    expect(decision).toEqual({channels: ['prod-pager', 'vision-slack', 'vision-mail'], rules: ['failures', 'vision']});
  });

  it('silences what a route with an empty "to" matches, defaults included', () => {
    expect(route(routes([{name: 'mute', match: {projects: ['nas-prod']}, to: []}]), failed)).toEqual({channels: [], rules: ['mute']});
  });

  it('falls back to the defaults when no route matches', () => {
    expect(route(routes([{name: 'never', match: {projects: ['elsewhere']}, to: ['prod-pager']}]), failed).channels).toEqual(['vision-slack', 'vision-mail']);
  });

  it('routes a trial change to a route that asks for it', () => {
    expect(route(routes([{name: 'trials', match: {events: ['trialChanged']}, to: ['$team']}]), trial).channels).toEqual(['vision-slack', 'vision-mail']);
  });

  it('routes by the labels of the mirror for events that carry no job', () => {
    const facts = jobFactsOf(trial.subject, [trial], mirror({team: 'nlp'}));

    expect(routeEvent(policyOf({notifications: routes([{name: 't', match: {events: ['trialChanged']}, to: ['$team']}])}).notifications, trial, facts).channels)
      .toEqual(['nlp-slack']);
  });
});

